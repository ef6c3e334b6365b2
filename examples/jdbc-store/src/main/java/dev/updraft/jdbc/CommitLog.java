package dev.updraft.jdbc;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The commit log of an embedded H2 database: a file of numbered change sets, appended in commit
 * order. A commit is durable once its entry is forced to disk; the database itself reaches the disk
 * later, at a checkpoint, after which the log is emptied.
 *
 * <p>An entry is its length, the CRC-32 of its content, then the content: the commit's number and
 * its changes (kind, record type, the record's JSON body). An entry cut short or damaged (the tail
 * of a write a crash interrupted, never acknowledged) ends the log when it is read.
 */
final class CommitLog {
  /** One logged commit. */
  record Entry(long number, ChangeSet changes) {}

  private final Path path;
  private final FileChannel channel;

  /** Where the next entry goes: the log's size (appends and clears take turns with each other). */
  private long end;

  private CommitLog(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.end = channel.size();
  }

  /** The log at {@code path}, created empty if it does not exist. */
  static CommitLog open(Path path) throws IOException {
    boolean created = !Files.exists(path);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (created) {
      channel.force(true);
      try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
        directory.force(true); // the new file's name reaches the disk too
      }
    }
    return new CommitLog(path, channel);
  }

  Path path() {
    return path;
  }

  /** The entries from the start, up to the first one cut short or damaged. */
  List<Entry> read(RecordCodec codec) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long position = 0;
    long size = channel.size();
    ByteBuffer header = ByteBuffer.allocate(8);
    while (size - position >= header.capacity()) {
      header.clear();
      readFully(header, position);
      int length = header.getInt(0);
      if (length < 0 || length > size - position - header.capacity()) {
        break;
      }
      ByteBuffer content = ByteBuffer.allocate(length);
      readFully(content, position + header.capacity());
      CRC32 crc = new CRC32();
      crc.update(content.array());
      if ((int) crc.getValue() != header.getInt(4)) {
        break;
      }
      entries.add(decode(content.array(), codec));
      position += header.capacity() + length;
    }
    return entries;
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException(path + ": ended while reading");
      }
    }
  }

  /** Appends commit {@code number}'s entry (to the OS: {@link #force} makes it durable). */
  void append(long number, ChangeSet changes, RecordCodec codec) throws IOException {
    byte[] content = encode(number, changes, codec);
    CRC32 crc = new CRC32();
    crc.update(content);
    ByteBuffer entry = ByteBuffer.allocate(8 + content.length);
    entry.putInt(content.length).putInt((int) crc.getValue()).put(content).flip();
    while (entry.hasRemaining()) {
      end += channel.write(entry, end);
    }
  }

  /** Returns once every entry appended so far is on disk. */
  void force() throws IOException {
    channel.force(false);
  }

  /** Empties the log: call once the database holds every entry on disk. */
  void clear() throws IOException {
    channel.truncate(0);
    channel.force(true);
    end = 0;
  }

  long size() {
    return end;
  }

  private static byte[] encode(long number, ChangeSet changes, RecordCodec codec) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(number);
      out.writeInt(changes.changes().size());
      for (ChangeSet.Change change : changes.changes()) {
        out.writeByte(change.kind().ordinal());
        out.writeUTF(change.type().name());
        byte[] body = codec.encode(change.record()).getBytes(StandardCharsets.UTF_8);
        out.writeInt(body.length);
        out.write(body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static Entry decode(byte[] content, RecordCodec codec) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(content))) {
      long number = in.readLong();
      int count = in.readInt();
      ChangeSet changes = ChangeSet.create();
      for (int i = 0; i < count; i++) {
        ChangeSet.Kind kind = ChangeSet.Kind.values()[in.readByte()];
        String typeName = in.readUTF();
        RecordType<?> type =
            RecordType.ALL.stream()
                .filter(t -> t.name().equals(typeName))
                .findFirst()
                .orElseThrow(() -> new IOException("unknown record type " + typeName));
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        add(changes, kind, type, codec.decode(type, new String(body, StandardCharsets.UTF_8)));
      }
      return new Entry(number, changes);
    }
  }

  private static <R extends StoredRecord> void add(
      ChangeSet changes, ChangeSet.Kind kind, RecordType<R> type, StoredRecord stored) {
    R record = type.cast(stored);
    switch (kind) {
      case INSERT -> changes.insert(type, record);
      case UPDATE -> changes.update(type, record);
      case DELETE -> changes.delete(type, record);
      case CHECK -> changes.check(type, record);
    }
  }
}
