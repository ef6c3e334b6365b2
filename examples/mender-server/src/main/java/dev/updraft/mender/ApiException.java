package dev.updraft.mender;

/** A request the server refuses: the HTTP status and the message of Mender's error body. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
