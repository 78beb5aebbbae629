package org.metalslake.csv;

import java.io.Serializable;
import java.util.List;

/**
 * What a first full read of a file found: its SHA-256 (of the bytes on disk), its layout, its
 * header (the first record that is not blank) and the physical line the header is on; or, for a
 * file that cannot be read as delimited text, the {@code problem} that says why (empty, truncated
 * gzip, binary content, no header).
 */
public record Probe(
    String sha256,
    long bytes,
    TextLayout layout,
    List<String> header,
    long headerLine,
    String problem)
    implements Serializable {

  public boolean readable() {
    return problem == null;
  }

  /** True for a zip archive (an xlsx workbook is one), which is not delimited text. */
  public boolean zipArchive() {
    return CsvText.ZIP_ARCHIVE.equals(problem);
  }

  static Probe failed(String sha256, long bytes, String problem) {
    return new Probe(sha256, bytes, null, List.of(), 0, problem);
  }
}
