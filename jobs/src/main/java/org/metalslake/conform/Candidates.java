package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Canonical candidates from bronze records, the common first step of every conformer: each
 * candidate column is read from the bronze column of the same name (the format declares it, so it
 * exists, null where a file lacks it), unless the format maps it to another expression in {@code
 * given}; lineage and the raw record are kept, and a malformed line gets its reason in {@code
 * _pre_reason}.
 */
final class Candidates {
  private Candidates() {}

  static Dataset<Row> of(
      Dataset<Row> records,
      List<String> fromSource,
      List<String> nullUnlessGiven,
      Map<String, Column> given,
      Column... extra) {
    List<String> present = List.of(records.columns());
    List<Column> cols = new ArrayList<>(List.of(Outcome.lineage()));
    for (String c : fromSource) {
      Column source = present.contains(c) ? col(c) : lit(null).cast("string");
      cols.add(given.getOrDefault(c, source).as(c));
    }
    for (String c : nullUnlessGiven) {
      cols.add(given.getOrDefault(c, lit(null).cast("string")).as(c));
    }
    cols.addAll(List.of(extra));
    cols.add(given.getOrDefault("_pre_reason", Reasons.malformedLine()).as("_pre_reason"));
    return records.select(cols.toArray(new Column[0]));
  }
}
