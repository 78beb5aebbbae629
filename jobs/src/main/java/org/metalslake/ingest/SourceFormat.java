package org.metalslake.ingest;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;

/**
 * One input format: how to recognise it from its header, which bronze table keeps its records, and
 * how its bronze records become silver facts. Adding a source means adding one of these.
 */
public interface SourceFormat {
  /** Short name stored in {@code _format} and shown to users. */
  String name();

  /** The header a user must provide, for error messages and the README. */
  String expectedHeader();

  /** The bronze table that keeps the raw records of this format. */
  TableId bronzeTable();

  /** True when the header (trimmed, lower-cased column names) is this format's. */
  boolean matches(List<String> header);

  /**
   * Bronze records of this format (lineage columns plus {@code record}, a map of source column →
   * raw string) to facts per silver table. Every fact row carries the lineage columns, the {@code
   * record}, {@code _reason} (null for a good fact, otherwise why it goes to quarantine) and {@code
   * _severity} ({@code error}, or {@code skipped} for records outside the product's scope). Every
   * record must yield at least one row: a fact or a quarantine reason.
   */
  Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref);
}
