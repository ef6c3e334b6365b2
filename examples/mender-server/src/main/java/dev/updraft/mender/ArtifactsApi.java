package dev.updraft.mender;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.fileupload2.core.MultipartInput;

/** Artifacts (upload, list, get, delete, download link) and releases (list, tags, notes). */
final class ArtifactsApi {
  private static final String V1 = "/api/management/v1/deployments";
  private static final String V2 = "/api/management/v2/deployments";
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  /** What a form may carry besides the artifact file (the size and description fields). */
  private static final long MAX_FORM_OVERHEAD = 16 * 1024;

  private static final Pattern PART_NAME =
      Pattern.compile("(?i)content-disposition:[^\\r\\n]*" + "\\bname=\"([^\"]*)\"");

  private final Updraft engine;
  private final Authority authority;
  private final MenderArtifacts artifacts;
  private final Semaphore uploads;
  private final int maxUploads;

  ArtifactsApi(Updraft engine, Authority authority, MenderArtifacts artifacts, int maxUploads) {
    this.engine = engine;
    this.authority = authority;
    this.artifacts = artifacts;
    this.uploads = new Semaphore(maxUploads);
    this.maxUploads = maxUploads;
  }

  void routes(Router router) {
    router
        .route("GET", V1 + "/artifacts", Access.ADMIN, this::list)
        .streaming("POST", V1 + "/artifacts", Access.ADMIN, this::upload)
        .route("GET", V1 + "/artifacts/{id}", Access.ADMIN, this::get)
        .route("DELETE", V1 + "/artifacts/{id}", Access.ADMIN, this::delete)
        .route("GET", V1 + "/artifacts/{id}/download", Access.ADMIN, this::downloadLink)
        .route("GET", V1 + "/deployments/releases", Access.ADMIN, this::releases)
        .route("GET", V2 + "/deployments/releases", Access.ADMIN, this::releases)
        .route("GET", V2 + "/deployments/releases/{name}", Access.ADMIN, this::release)
        .route("PATCH", V2 + "/deployments/releases/{name}", Access.ADMIN, this::notes)
        .route("PUT", V2 + "/deployments/releases/{name}/tags", Access.ADMIN, this::tags);
  }

  private void list(Call call) throws IOException {
    Instant now = Instant.now();
    List<Object> all = new ArrayList<>();
    Pages.each(
        engine::releases,
        r -> r.artifacts().forEach(a -> all.add(Representations.artifact(a, now))));
    call.json(200, all);
  }

  private Artifact artifact(String id) {
    return engine
        .artifact(id)
        .orElseThrow(() -> ApiException.notFound("artifact " + id + " not found"));
  }

  private void get(Call call) throws IOException {
    Artifact artifact = artifact(call.parameter("id"));
    call.json(200, Representations.artifact(artifact, modified(artifact.id())));
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
    if (!uploads.tryAcquire()) {
      call.header("Retry-After", "10");
      throw new ApiException(
          503, maxUploads + " artifact uploads are under way; try again when one is done");
    }
    String id = UUID.randomUUID().toString();
    Path upload = null;
    try {
      upload = Files.createTempFile(artifacts.fileOf(id).getParent(), "upload-", ".part");
      Artifact artifact = null;
      try (InputStream body = call.bodyStream()) {
        MultipartInput multipart =
            MultipartInput.builder()
                .setInputStream(body)
                .setBoundary(boundary.group(1).getBytes(StandardCharsets.ISO_8859_1))
                .get();
        boolean more = multipart.skipPreamble();
        long otherBytes = 0;
        while (more) {
          Matcher name = PART_NAME.matcher(multipart.readHeaders());
          String part = name.find() ? name.group(1) : "";
          if (part.equals("artifact") && artifact == null) {
            try (InputStream file = multipart.newInputStream()) {
              artifact = artifacts.receive(file, upload, id);
            }
          } else {
            otherBytes += multipart.discardBodyData();
            if (otherBytes > MAX_FORM_OVERHEAD) {
              throw new ApiException(
                  413, "form fields besides the artifact larger than " + MAX_FORM_OVERHEAD);
            }
          }
          more = multipart.readBoundary();
        }
      } catch (MultipartInput.MalformedStreamException malformed) {
        throw ApiException.badRequest("malformed multipart body: " + malformed.getMessage());
      }
      if (artifact == null) {
        throw ApiException.badRequest("artifact: the form has no 'artifact' file part");
      }
      Path file = artifacts.fileOf(id);
      Files.move(upload, file, StandardCopyOption.ATOMIC_MOVE);
      artifacts.syncDirectory();
      try {
        engine.addArtifact(artifact);
      } catch (RuntimeException refused) {
        Files.deleteIfExists(file);
        throw refused;
      }
      call.header("Location", V1 + "/artifacts/" + id);
      call.empty(201);
    } finally {
      uploads.release();
      if (upload != null) {
        Files.deleteIfExists(upload);
      }
    }
  }

  // ------------------------------------------------------------------ releases

  private void releases(Call call) throws IOException {
    Optional<String> name = call.query("name");
    Optional<String> tag = call.query("tag");
    Instant now = Instant.now();
    Pages.respond(
        call,
        engine::releases,
        r -> name.map(r.name()::contains).orElse(true) && tag.map(r.tags()::contains).orElse(true),
        r -> Representations.release(r, now));
  }

  private Release release(String name) {
    return engine
        .release(name)
        .orElseThrow(() -> ApiException.notFound("release " + name + " not found"));
  }

  private void release(Call call) throws IOException {
    call.json(200, Representations.release(release(call.parameter("name")), Instant.now()));
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
