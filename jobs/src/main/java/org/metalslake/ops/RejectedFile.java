package org.metalslake.ops;

/**
 * A file a run did not ingest, and why: it cannot be read as delimited text (empty, truncated gzip,
 * binary) or no format knows its header. The run goes on with the other files; the file is looked
 * at again by the next run.
 */
public record RejectedFile(String path, String fileId, long size, long modifiedAt, String reason) {}
