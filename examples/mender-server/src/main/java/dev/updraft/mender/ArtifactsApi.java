package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.ResultPage;
import dev.updraft.core.engine.Updraft;
import dev.updraft.core.release.Artifact;
import dev.updraft.core.release.Release;
import dev.updraft.mender.Router.Access;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.fileupload2.core.MultipartInput;

/** Artifacts (upload, list, get, delete, download link) and releases (list, tags, notes). */
final class ArtifactsApi {
  private static final String V1 = "/api/management/v1/deployments";
  private static final String V2 = "/api/management/v2/deployments";

  /** Where a direct upload's bytes are PUT, through a signed link (not in Mender's API files). */
  static final String DIRECT_UPLOAD = V1 + "/artifacts/directupload/{id}/upload";

  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  /** What a form may carry besides the artifact file (the size and description fields). */
  private static final long MAX_FORM_OVERHEAD = 16 * 1024;

  private static final Pattern PART_NAME =
      Pattern.compile("(?i)content-disposition:[^\\r\\n]*" + "\\bname=\"([^\"]*)\"");

  private final Updraft engine;
  private final Authority authority;
  private final MenderArtifacts artifacts;
  private final ArtifactDescriptions descriptions;
  private final Semaphore uploads;
  private final int maxUploads;

  ArtifactsApi(
      Updraft engine,
      Authority authority,
      MenderArtifacts artifacts,
      ArtifactDescriptions descriptions,
      int maxUploads) {
    this.engine = engine;
    this.descriptions = descriptions;
    this.authority = authority;
    this.artifacts = artifacts;
    this.uploads = new Semaphore(maxUploads);
    this.maxUploads = maxUploads;
  }

  void routes(Router router) {
    router
        .route("GET", V1 + "/artifacts", Access.ADMIN, this::list)
        .route("GET", V1 + "/artifacts/list", Access.ADMIN, this::page)
        .route("GET", V2 + "/artifacts", Access.ADMIN, this::page)
        .route("GET", V1 + "/limits/storage", Access.ADMIN, this::storage)
        .streaming("POST", V1 + "/artifacts", Access.ADMIN, this::upload)
        .route("GET", V1 + "/artifacts/{id}", Access.ADMIN, this::get)
        .route("DELETE", V1 + "/artifacts/{id}", Access.ADMIN, this::delete)
        .route("PUT", V1 + "/artifacts/{id}", Access.ADMIN, this::edit)
        .route("POST", V1 + "/artifacts/directupload", Access.ADMIN, this::directUpload)
        .streaming("POST", V1 + "/artifacts/generate", Access.ADMIN, this::generate)
        .streaming("PUT", DIRECT_UPLOAD, Access.OPEN, this::directBytes)
        .route(
            "POST",
            V1 + "/artifacts/directupload/{id}/complete",
            Access.ADMIN,
            this::completeDirect)
        .route("GET", V1 + "/artifacts/{id}/download", Access.ADMIN, this::downloadLink)
        .route("GET", V1 + "/deployments/releases", Access.ADMIN, this::allReleases)
        .route("GET", V1 + "/deployments/releases/list", Access.ADMIN, this::releases)
        .route("GET", V2 + "/deployments/releases", Access.ADMIN, this::releases)
        .route("DELETE", V2 + "/deployments/releases", Access.ADMIN, this::deleteReleases)
        .route("GET", V2 + "/releases/all/tags", Access.ADMIN, this::allTags)
        .route("GET", V2 + "/releases/all/types", Access.ADMIN, this::allTypes)
        .route("GET", V2 + "/deployments/releases/{name}", Access.ADMIN, this::release)
        .route("PATCH", V2 + "/deployments/releases/{name}", Access.ADMIN, this::notes)
        .route("PUT", V2 + "/deployments/releases/{name}/tags", Access.ADMIN, this::tags);
  }

  /**
   * v1 {@code artifacts}: every artifact, unpaged, filtered by {@code name}, {@code description}
   * (substrings) and {@code device_type}.
   */
  private void list(Call call) throws IOException {
    Instant now = Instant.now();
    Map<String, String> described = descriptions.all();
    Predicate<Artifact> keep = artifactFilter(call, false, described);
    List<Object> all = new ArrayList<>();
    Pages.each(
        artifactsOf(engine::releases),
        a -> {
          if (keep.test(a)) {
            all.add(Representations.artifact(a, now, described.getOrDefault(a.id(), "")));
          }
        });
    call.json(200, all);
  }

  /**
   * The artifacts a listing's {@code name} (v2: repeatable and exact; v1: a substring), {@code
   * description} (a substring) and {@code device_type} keep.
   */
  private static Predicate<Artifact> artifactFilter(
      Call call, boolean v2, Map<String, String> described) {
    List<String> names = call.queryAll("name");
    Optional<String> description = call.query("description");
    Optional<String> deviceType = call.query("device_type");
    return a ->
        (names.isEmpty() || (v2 ? names.contains(a.name()) : a.name().contains(names.get(0))))
            && description.map(described.getOrDefault(a.id(), "")::contains).orElse(true)
            && deviceType.map(a.deviceTypes()::contains).orElse(true);
  }

  /**
   * Paged artifacts (v1 {@code artifacts/list}, v2 {@code artifacts}): {@code name} (v2:
   * repeatable, exact; v1: a substring), {@code description}, {@code device_type}, and v1's {@code
   * sort} ({@code name} or {@code modified}, {@code :asc} or {@code :desc}; by name by default).
   */
  private void page(Call call) throws IOException {
    boolean v2 = call.path().startsWith(V2);
    Comparator<Artifact> byName = Comparator.comparing(Artifact::name).thenComparing(Artifact::id);
    Comparator<Artifact> order =
        v2
            ? byName
            : Pages.order(
                call,
                Map.of("name", byName, "modified", Comparator.comparing(this::modifiedOrNow)),
                "name:asc");
    Instant now = Instant.now();
    Map<String, String> described = descriptions.all();
    Pages.respond(
        call,
        artifactsOf(engine::releases),
        artifactFilter(call, v2, described),
        Optional.of(order),
        a -> Representations.artifact(a, now, described.getOrDefault(a.id(), "")));
  }

  /** The artifacts of a listing of releases, as a listing. */
  private static Function<PageRequest, ResultPage<Artifact>> artifactsOf(
      Function<PageRequest, ResultPage<Release>> releases) {
    return page -> {
      ResultPage<Release> batch = releases.apply(page);
      return ResultPage.of(
          batch.items().stream().flatMap(r -> r.artifacts().stream()).toList(), batch.next());
    };
  }

  /** {@code {"usage": bytes of all artifacts, "limit": 0}}: 0 is no limit, as in Mender. */
  private void storage(Call call) throws IOException {
    long[] usage = {0};
    Pages.each(engine::releases, r -> r.artifacts().forEach(a -> usage[0] += a.size()));
    call.json(200, Map.of("usage", usage[0], "limit", 0));
  }

  private Instant modifiedOrNow(Artifact artifact) {
    try {
      return modified(artifact.id());
    } catch (IOException unreadable) {
      throw new java.io.UncheckedIOException(unreadable);
    }
  }

  private Artifact artifact(String id) {
    return engine
        .artifact(id)
        .orElseThrow(() -> ApiException.notFound("artifact " + id + " not found"));
  }

  private void get(Call call) throws IOException {
    Artifact artifact = artifact(call.parameter("id"));
    call.json(
        200,
        Representations.artifact(
            artifact, modified(artifact.id()), descriptions.all().getOrDefault(artifact.id(), "")));
  }

  private Instant modified(String id) throws IOException {
    Optional<Path> file = artifacts.existing(id);
    return file.isPresent() ? Files.getLastModifiedTime(file.get()).toInstant() : Instant.now();
  }

  /** 204; 409 while an unfinished deployment uses the release; the file goes with it. */
  private void delete(Call call) throws IOException {
    String id = call.parameter("id");
    engine.removeArtifact(id);
    Files.deleteIfExists(artifacts.fileOf(id));
    descriptions.set(id, "");
    call.empty(204);
  }

  /**
   * {@code {"description": …}}: 204. 404 for an unknown artifact; 422 once any deployment, finished
   * or not, has used its release [M].
   */
  private void edit(Call call) throws IOException {
    String description =
        Json.optionalText(Json.object(call.json(), "artifact update"), "description").orElse("");
    Artifact artifact = artifact(call.parameter("id"));
    String[] user = {null};
    Pages.each(
        engine::deployments,
        d -> {
          if (user[0] == null && d.releaseName().equals(artifact.name())) {
            user[0] = d.id();
          }
        });
    if (user[0] != null) {
      throw new ApiException(
          422, "artifact " + artifact.id() + " was used in deployment " + user[0]);
    }
    descriptions.set(artifact.id(), description);
    call.empty(204);
  }

  private void downloadLink(Call call) throws IOException {
    Artifact artifact = artifact(call.parameter("id"));
    Authority.Link link = authority.downloadLink(call.baseUrl(), artifact.id());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("uri", link.uri());
    json.put("expire", link.expires().toString());
    call.json(200, json);
  }

  // ------------------------------------------------------------------ upload

  /**
   * {@code multipart/form-data} with the {@code artifact} file part (and optional {@code size},
   * {@code description}): the file is read, checked ({@link MenderArtifacts}) and written to disk
   * in one pass as it arrives, and the artifact added to the release of its name. 201 with {@code
   * Location}; 400 for a file that is not a whole, valid artifact; 409 when it overlaps an artifact
   * of the release; 413 beyond the size limit; 503 while {@code maxUploads} uploads are under way.
   * Nothing stays on disk of an upload that fails.
   */
  private void upload(Call call) throws IOException {
    Artifact artifact = receiveForm(call);
    call.header("Location", V1 + "/artifacts/" + artifact.id());
    call.empty(201);
  }

  /**
   * Takes in an upload form (the management API's, and the dashboard's): the artifact kept and
   * added. Throws the {@link ApiException} of whatever is wrong, and then nothing stays on disk.
   */
  Artifact receiveForm(Call call) throws IOException {
    Artifact[] kept = {null};
    uploading(
        call,
        (id, upload) -> {
          Artifact[] artifact = {null};
          Map<String, List<String>> fields =
              form(
                  call,
                  "artifact",
                  (file, headers) -> artifact[0] = artifacts.receive(file, upload, id));
          if (artifact[0] == null) {
            throw ApiException.badRequest("artifact: the form has no 'artifact' file part");
          }
          keep(artifact[0], upload, field(fields, "description"));
          kept[0] = artifact[0];
        });
    return kept[0];
  }

  /** Takes in a form's file part as it arrives; {@code headers} are the part's. */
  @FunctionalInterface
  private interface FilePart {
    void receive(InputStream file, String headers) throws IOException;
  }

  /**
   * Reads a {@code multipart/form-data} body: the first part named {@code filePart} goes to {@code
   * file} as it streams; the other parts are text fields, returned by name, at most {@link
   * #MAX_FORM_OVERHEAD} bytes together (413 beyond). 400 for a body that is not such a form.
   */
  private Map<String, List<String>> form(Call call, String filePart, FilePart file)
      throws IOException {
    String contentType = call.header("Content-Type").orElse("");
    Matcher boundary = BOUNDARY.matcher(contentType);
    if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
        || !boundary.find()) {
      throw ApiException.badRequest(
          "expected multipart/form-data with a boundary, got '" + contentType + "'");
    }
    if (call.declaredLength() > artifacts.maxBytes() + MAX_FORM_OVERHEAD) {
      throw new ApiException(413, "artifact larger than " + artifacts.maxBytes() + " bytes");
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    boolean received = false;
    try (InputStream body = call.bodyStream()) {
      MultipartInput multipart =
          MultipartInput.builder()
              .setInputStream(body)
              .setBoundary(boundary.group(1).getBytes(StandardCharsets.ISO_8859_1))
              .get();
      boolean more = multipart.skipPreamble();
      long fieldBytes = 0;
      while (more) {
        String headers = multipart.readHeaders();
        Matcher name = PART_NAME.matcher(headers);
        String part = name.find() ? name.group(1) : "";
        try (InputStream in = multipart.newInputStream()) {
          if (part.equals(filePart) && !received) {
            file.receive(in, headers);
            received = true;
          } else {
            byte[] text = in.readNBytes((int) (MAX_FORM_OVERHEAD - fieldBytes) + 1);
            fieldBytes += text.length;
            if (fieldBytes > MAX_FORM_OVERHEAD) {
              throw new ApiException(
                  413, "form fields besides the artifact larger than " + MAX_FORM_OVERHEAD);
            }
            fields
                .computeIfAbsent(part, k -> new ArrayList<>())
                .add(new String(text, StandardCharsets.UTF_8));
          }
        }
        more = multipart.readBoundary();
      }
    } catch (MultipartInput.MalformedStreamException malformed) {
      throw ApiException.badRequest("malformed multipart body: " + malformed.getMessage());
    }
    return fields;
  }

  /** A form field's first value; a description is checked for its length (400). */
  private static Optional<String> field(Map<String, List<String>> fields, String name) {
    Optional<String> value = fields.getOrDefault(name, List.of()).stream().findFirst();
    if (name.equals("description")
        && value.isPresent()
        && value.get().length() > ArtifactDescriptions.MAX_LENGTH) {
      throw ApiException.badRequest(
          "description: more than " + ArtifactDescriptions.MAX_LENGTH + " characters");
    }
    return value;
  }

  /** A part's file name. */
  private static final Pattern FILE_NAME =
      Pattern.compile("(?i)content-disposition:[^\\r\\n]*\\bfilename=\"([^\"]*)\"");

  /**
   * Generates a single-file artifact from a file [M]: a form with {@code name}, {@code
   * device_types_compatible} (repeated, or comma-separated), {@code type} ({@code single_file}, the
   * only one), {@code args} (JSON: {@code dest_dir}, required, and {@code filename}, by default the
   * file's name), {@code description}, and the {@code file}. The artifact is written ({@link
   * SingleFileArtifact}), checked as an upload is, and added: 201 with {@code Location} (Mender
   * queues the work; here it is done by then). 400 naming a missing or wrong field; 409, 413 and
   * 503 as for an upload.
   */
  private void generate(Call call) throws IOException {
    uploading(
        call,
        (id, upload) -> {
          Path directory = upload.getParent();
          Path raw = Files.createTempFile(directory, "generate-", ".part");
          Path scratch = Files.createTempFile(directory, "generate-", ".part");
          Path generated = Files.createTempFile(directory, "generate-", ".part");
          try {
            String[] fileName = {null}; // the file part's name, "" for none, once it came
            Map<String, List<String>> fields =
                form(
                    call,
                    "file",
                    (file, headers) -> {
                      Matcher named = FILE_NAME.matcher(headers);
                      fileName[0] = named.find() ? named.group(1) : "";
                      try (InputStream capped =
                          new CappedInputStream(
                              file,
                              artifacts.maxBytes(),
                              () ->
                                  new ApiException(
                                      413,
                                      "file larger than " + artifacts.maxBytes() + " bytes"))) {
                        Files.copy(capped, raw, StandardCopyOption.REPLACE_EXISTING);
                      }
                    });
            if (fileName[0] == null) {
              throw ApiException.badRequest("file: the form has no 'file' part");
            }
            String name =
                field(fields, "name")
                    .filter(n -> !n.isBlank())
                    .orElseThrow(() -> ApiException.badRequest("name: required"));
            String type =
                field(fields, "type").orElseThrow(() -> ApiException.badRequest("type: required"));
            if (!type.equals("single_file")) {
              throw ApiException.badRequest(
                  "type: " + LogText.quote(type) + " is not single_file, the one type generated");
            }
            List<String> deviceTypes =
                fields.getOrDefault("device_types_compatible", List.of()).stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                    .map(String::trim)
                    .filter(t -> !t.isEmpty())
                    .distinct()
                    .toList();
            if (deviceTypes.isEmpty()) {
              throw ApiException.badRequest("device_types_compatible: at least one device type");
            }
            JsonNode args =
                Json.object(
                    Json.parse(field(fields, "args").orElse("{}").getBytes(StandardCharsets.UTF_8)),
                    "args");
            String destDir = Json.text(args, "args.dest_dir");
            Optional<String> given = Json.optionalText(args, "filename");
            String target = given.orElse(fileName[0]);
            if (target.isEmpty() || target.contains("/") || target.equals("..")) {
              throw ApiException.badRequest(
                  "args.filename: " + LogText.quote(target) + " is not a file name");
            }
            SingleFileArtifact.write(generated, scratch, name, deviceTypes, raw, destDir, target);
            Artifact artifact;
            try (InputStream in = Files.newInputStream(generated)) {
              artifact = artifacts.receive(in, upload, id);
            }
            keep(artifact, upload, field(fields, "description"));
            call.header("Location", V1 + "/artifacts/" + id);
            call.empty(201);
          } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(scratch);
            Files.deleteIfExists(generated);
          }
        });
  }

  /** What an upload does with its id and the temporary file it writes. */
  @FunctionalInterface
  private interface Upload {
    void receive(String id, Path file) throws IOException;
  }

  /**
   * Runs an upload under the count of uploads (503 with {@code Retry-After} beyond it), with a new
   * artifact id and a temporary file beside the artifacts, deleted after whatever happens.
   */
  private void uploading(Call call, Upload upload) throws IOException {
    if (!uploads.tryAcquire()) {
      call.header("Retry-After", "10");
      throw new ApiException(
          503, maxUploads + " artifact uploads are under way; try again when one is done");
    }
    String id = UUID.randomUUID().toString();
    Path file = null;
    try {
      file = Files.createTempFile(artifacts.fileOf(id).getParent(), "upload-", ".part");
      upload.receive(id, file);
    } finally {
      uploads.release();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Keeps a received artifact: its checked file moved into place, the artifact added to its release
   * (the file deleted if that is refused), its description kept.
   */
  private void keep(Artifact artifact, Path received, Optional<String> description)
      throws IOException {
    Path file = artifacts.fileOf(artifact.id());
    Files.move(received, file, StandardCopyOption.ATOMIC_MOVE);
    artifacts.syncDirectory();
    try {
      engine.addArtifact(artifact);
    } catch (RuntimeException refused) {
      Files.deleteIfExists(file);
      throw refused;
    }
    if (description.isPresent()) {
      descriptions.set(artifact.id(), description.get());
    }
  }

  // ------------------------------------------------------------------ direct upload

  /**
   * A direct upload [M]: {@code {"id", "uri", "expire"}}, a signed link the artifact's bytes are
   * PUT to without a token, valid for the link lifetime; then {@code complete} takes them in.
   */
  private void directUpload(Call call) throws IOException {
    String id = UUID.randomUUID().toString();
    Authority.Link link = authority.uploadLink(call.baseUrl(), id);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("uri", link.uri());
    json.put("expire", link.expires().toString());
    call.json(200, json);
  }

  /**
   * PUT on a direct upload's link: the bytes are kept as they come, up to the artifact size limit
   * (413), under the count of uploads; the link is checked (403) before a byte is read. 200; a
   * second PUT replaces the first.
   */
  private void directBytes(Call call) throws IOException {
    String uploadId = uploadId(call);
    authority.checkUploadLink(uploadId, call.query("expire"), call.query("signature"));
    if (call.declaredLength() > artifacts.maxBytes()) {
      throw new ApiException(413, "artifact larger than " + artifacts.maxBytes() + " bytes");
    }
    uploading(
        call,
        (unused, file) -> {
          try (InputStream body =
              new CappedInputStream(
                  call.bodyStream(),
                  artifacts.maxBytes(),
                  () ->
                      new ApiException(
                          413, "artifact larger than " + artifacts.maxBytes() + " bytes"))) {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(
              file,
              artifacts.directUpload(uploadId),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          call.empty(200);
        });
  }

  /**
   * Completes a direct upload: its bytes are read and checked as an upload's are, and the artifact
   * (whose id is the upload's) added. 202 (done by then); 404 when nothing was uploaded for the id
   * or it was completed; 400, 409 and 503 as for an upload. The optional metadata body is not
   * needed: the artifact says it all. The bytes go whatever the outcome.
   */
  private void completeDirect(Call call) throws IOException {
    String uploadId = uploadId(call);
    if (call.body().length > 0) {
      Json.object(call.json(), "metadata");
    }
    Path bytes = artifacts.directUpload(uploadId);
    if (!Files.isRegularFile(bytes)) {
      throw ApiException.notFound("no direct upload " + uploadId + " to complete");
    }
    try {
      uploading(
          call,
          (unused, file) -> {
            Artifact artifact;
            try (InputStream in = Files.newInputStream(bytes)) {
              artifact = artifacts.receive(in, file, uploadId);
            }
            keep(artifact, file, Optional.empty());
            call.header("Location", V1 + "/artifacts/" + uploadId);
            call.empty(202);
          });
    } finally {
      Files.deleteIfExists(bytes);
    }
  }

  /**
   * The upload id in the path: a UUID, as {@link #directUpload} made (it names a file); else 404.
   */
  private static String uploadId(Call call) {
    String id = call.parameter("id");
    try {
      if (UUID.fromString(id).toString().equals(id)) {
        return id;
      }
    } catch (IllegalArgumentException notOne) {
      // refused below
    }
    throw ApiException.notFound("no direct upload " + LogText.quote(id));
  }

  // ------------------------------------------------------------------ releases

  /**
   * Paged releases (v1 {@code releases/list}, v2 {@code releases}): {@code name} (a substring),
   * {@code tag} (repeatable: releases with any of them), {@code update_type}, {@code device_type},
   * {@code description}, and {@code sort} ({@code name}, {@code artifacts_count}, {@code modified}
   * or {@code tags}, {@code :asc} or {@code :desc}; by name by default).
   */
  private void releases(Call call) throws IOException {
    Instant now = Instant.now();
    Map<String, String> described = descriptions.all();
    Pages.respond(
        call,
        engine::releases,
        releaseFilter(call),
        Optional.of(releaseOrder(call)),
        r -> Representations.release(r, now, described));
  }

  /** v1 {@code releases}: every release that matches, unpaged, by name. */
  private void allReleases(Call call) throws IOException {
    Predicate<Release> keep = releaseFilter(call);
    Instant now = Instant.now();
    Map<String, String> described = descriptions.all();
    List<Object> all = new ArrayList<>();
    Pages.each(
        engine::releases,
        r -> {
          if (keep.test(r)) {
            all.add(Representations.release(r, now, described));
          }
        });
    call.json(200, all);
  }

  private static Predicate<Release> releaseFilter(Call call) {
    Optional<String> name = call.query("name");
    List<String> tags = call.queryAll("tag").stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    Optional<String> updateType = call.query("update_type");
    Optional<String> deviceType = call.query("device_type");
    Optional<String> description = call.query("description");
    return r ->
        name.map(r.name()::contains).orElse(true)
            && (tags.isEmpty() || tags.stream().anyMatch(r.tags()::contains))
            && updateType
                .map(t -> r.artifacts().stream().anyMatch(a -> a.payloadTypes().contains(t)))
                .orElse(true)
            && deviceType
                .map(t -> r.artifacts().stream().anyMatch(a -> a.deviceTypes().contains(t)))
                .orElse(true)
            && description.map(""::contains).orElse(true);
  }

  private Comparator<Release> releaseOrder(Call call) {
    Comparator<Release> byName = Comparator.comparing(Release::name);
    return Pages.order(
        call,
        Map.of(
            "name", byName,
            "artifacts_count",
                Comparator.comparingInt((Release r) -> r.artifacts().size()).thenComparing(byName),
            "tags",
                Comparator.comparing((Release r) -> String.join(",", new TreeSet<>(r.tags())))
                    .thenComparing(byName),
            "modified", Comparator.comparing(this::lastModified).thenComparing(byName)),
        "name:asc");
  }

  private Instant lastModified(Release release) {
    return release.artifacts().stream()
        .map(this::modifiedOrNow)
        .max(Comparator.naturalOrder())
        .orElse(Instant.EPOCH);
  }

  /** Every tag of every release, sorted. */
  private void allTags(Call call) throws IOException {
    Set<String> tags = new TreeSet<>();
    Pages.each(engine::releases, r -> tags.addAll(r.tags()));
    call.json(200, List.copyOf(tags));
  }

  /** Every payload type of every artifact, sorted. */
  private void allTypes(Call call) throws IOException {
    Set<String> types = new TreeSet<>();
    Pages.each(engine::releases, r -> r.artifacts().forEach(a -> types.addAll(a.payloadTypes())));
    call.json(200, List.copyOf(types));
  }

  /**
   * {@code ?name=…} (repeatable): deletes those releases, their artifacts and files; 204. 409 with
   * {@code active_deployments} while unfinished deployments use any of them (nothing is deleted);
   * 400 without a name. A name no release has is skipped, as in Mender.
   */
  private void deleteReleases(Call call) throws IOException {
    List<String> names = call.queryAll("name");
    if (names.isEmpty() || names.contains("")) {
      throw ApiException.badRequest("name: at least one release name is required");
    }
    List<String> active = new ArrayList<>();
    Pages.each(
        engine::deployments,
        d -> {
          if (d.isActive() && names.contains(d.releaseName())) {
            active.add(d.id());
          }
        });
    if (!active.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "active deployments are using some of the releases from the request");
      body.put("active_deployments", active);
      body.put("request_id", call.requestId());
      call.json(409, body);
      return;
    }
    for (String name : names) {
      Optional<Release> release = engine.release(name);
      if (release.isPresent()) {
        for (Artifact artifact : release.get().artifacts()) {
          engine.removeArtifact(artifact.id());
          Files.deleteIfExists(artifacts.fileOf(artifact.id()));
          descriptions.set(artifact.id(), "");
        }
      }
    }
    call.empty(204);
  }

  private Release release(String name) {
    return engine
        .release(name)
        .orElseThrow(() -> ApiException.notFound("release " + name + " not found"));
  }

  private void release(Call call) throws IOException {
    call.json(
        200,
        Representations.release(
            release(call.parameter("name")), Instant.now(), descriptions.all()));
  }

  private void notes(Call call) throws IOException {
    JsonNode request = Json.object(call.json(), "release update");
    String notes = Json.optionalText(request, "notes").orElse("");
    release(call.parameter("name"));
    engine.annotateRelease(call.parameter("name"), notes);
    call.empty(204);
  }

  private void tags(Call call) throws IOException {
    List<String> tags = Json.texts(call.json(), "tags");
    release(call.parameter("name"));
    engine.tagRelease(call.parameter("name"), tags);
    call.empty(204);
  }
}
