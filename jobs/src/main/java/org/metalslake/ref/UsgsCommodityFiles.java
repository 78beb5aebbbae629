package org.metalslake.ref;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * How to read USGS per-commodity files: what each salient-statistics column holds
 * (usgs_salient_columns.csv) and which commodity a file without a commodity column is about
 * (usgs_commodities.csv).
 */
final class UsgsCommodityFiles {
  private final RefSource source;
  private final List<Map<String, String>> salientColumns;
  private final List<Map<String, String>> commodities;

  UsgsCommodityFiles(RefSource source) {
    this.source = source;
    salientColumns = source.records("usgs_salient_columns.csv");
    commodities = source.records("usgs_commodities.csv");
  }

  /** See {@link RefData#salientColumns()}. */
  List<Map<String, String>> salientColumns() {
    return salientColumns;
  }

  /** See {@link RefData#usgsCommodities()}. */
  List<Map<String, String>> commodities() {
    return commodities;
  }

  /** ref.usgs_salient_columns. */
  Dataset<Row> salientTable() {
    return source.frame(
        salientColumns.stream()
            .map(
                m ->
                    RowFactory.create(
                        m.get("commodity"),
                        m.get("column"),
                        RefSource.emptyToNull(m.get("release")),
                        m.get("measure"),
                        RefSource.emptyToNull(m.get("metal")),
                        RefSource.emptyToNull(m.get("stage")),
                        RefSource.emptyToNull(m.get("unit")),
                        RefSource.emptyToNull(m.get("basis")),
                        RefSource.emptyToNull(m.get("method")),
                        RefSource.emptyToNull(m.get("note"))))
            .toList(),
        "commodity STRING, column STRING, release STRING, measure STRING, metal STRING,"
            + " stage STRING, unit STRING, basis STRING, method STRING, note STRING");
  }
}
