package org.metalslake.sources;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.xlsx.Sheet;

/**
 * One input format: how to recognise it from its header, which bronze table keeps its records and
 * under which column names, and how its bronze records become silver facts. Adding a source means
 * adding one of these to {@link Formats}.
 */
public interface SourceFormat {
  /** Short name stored in {@code _format} and shown to users. */
  String name();

  /** The header a user must provide, for error messages and the README. */
  String expectedHeader();

  /** The bronze table that keeps the raw records of this format (one table per format). */
  TableId bronzeTable();

  /**
   * The source columns this format knows, as bronze names them (lower case, words joined by
   * underscores). A header column whose {@link org.metalslake.csv.ColumnKey key} is one of theirs
   * (or an {@link #aliases() alias}) is stored under that name; other columns keep a cleaned-up
   * form of their own name. Every column listed here exists in the bronze table, null where a file
   * lacks it, so the conform rules read ordinary columns.
   */
  List<String> columns();

  /** Other spellings publishers use: header key → one of {@link #columns()}. */
  default Map<String, String> aliases() {
    return Map.of();
  }

  /** True when a file with this header is of this format. */
  boolean matches(Header header);

  /**
   * For a workbook (xlsx): the sheet this format reads and its header, found in the sheets' first
   * rows; empty when this format reads none of them (the default: a delimited-text format). Every
   * other row of that sheet that has a value is a record, rows above the header included.
   */
  default Optional<SheetHeader> sheet(List<Sheet> sheets) {
    return Optional.empty();
  }

  /** True for a format of workbooks (it reads a {@link #sheet sheet}), not of delimited text. */
  default boolean workbook() {
    return false;
  }

  /**
   * Reference formats (code lists) are conformed before the others of a run, and what they hold is
   * used for the rest of the run ({@link RefData}).
   */
  default boolean reference() {
    return false;
  }

  /**
   * True for publications that revise their figures release by release (USGS MCS): every release's
   * value of their figures is kept in {@code silver.vintages}.
   */
  default boolean keepsVintages() {
    return false;
  }

  /**
   * What the user should know about these bronze records that is no reason to quarantine any of
   * them (a column with figures that no rule reads), one message each naming the file; empty for
   * most formats. Called once per run with the batch's records.
   */
  default List<String> warnings(Dataset<Row> bronze, RefData ref) {
    return List.of();
  }

  /**
   * Bronze records of this format (lineage columns and the source columns) to facts per silver
   * table. Every fact row carries the lineage ({@code conform.Outcome}), {@code _reason} (null for
   * a good fact, otherwise why it goes to quarantine) and {@code _severity} ({@code error}, or
   * {@code skipped} for records outside the product's scope). Every record must yield at least one
   * row: a fact or a quarantine reason.
   */
  Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref);
}
