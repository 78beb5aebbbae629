package org.metalslake.ingest;

import java.util.List;
import org.metalslake.csv.TextLayout;
import org.metalslake.sources.SourceFormat;

/**
 * A file found in the landing zone and read once ({@link FileScan}). {@code fileId} is the SHA-256
 * of its content, so the same file copied elsewhere is recognised as already ingested; {@code
 * header} is its first record, on physical line {@code headerLine}.
 */
public record LandedFile(
    String path,
    String uri,
    String folder,
    long size,
    long modifiedAt,
    String fileId,
    TextLayout layout,
    List<String> header,
    long headerLine,
    SourceFormat format) {}
