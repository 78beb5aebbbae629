package org.metalslake.ingest;

/**
 * A file found in the landing zone. {@code fileId} is the SHA-256 of its content, so the same file
 * copied elsewhere or touched again is recognised as already ingested.
 */
public record LandedFile(
    String path, String folder, long size, long modifiedAt, String fileId, SourceFormat format) {

  public LandedFile withFormat(SourceFormat f) {
    return new LandedFile(path, folder, size, modifiedAt, fileId, f);
  }
}
