package org.metalslake.ref;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The price series mapping (price_series.csv): a source's series id to metal, market, series,
 * currency and unit; every row has a source, a series id and a frequency M or D.
 */
final class PriceSeriesMapping {
  private static final String FILE = "price_series.csv";

  private final RefSource source;
  private final List<Map<String, String>> series;

  PriceSeriesMapping(RefSource source) {
    this.source = source;
    series = source.records(FILE);
    for (Map<String, String> m : series) {
      if (m.get("source").isEmpty() || m.get("series_id").isEmpty()) {
        throw new IllegalArgumentException(
            FILE + ": every row needs a source and a series_id: " + m);
      }
      if (!List.of("M", "D").contains(m.get("freq"))) {
        throw new IllegalArgumentException(
            FILE + ": freq '" + m.get("freq") + "' is not M or D: " + m);
      }
    }
  }

  /** See {@link RefData#priceSeries()}. */
  List<Map<String, String>> series() {
    return series;
  }

  /** ref.price_series. */
  Dataset<Row> table() {
    return source.frame(
        series.stream()
            .map(
                m ->
                    RowFactory.create(
                        m.get("source"),
                        m.get("series_id"),
                        RefSource.emptyToNull(m.get("metal")),
                        RefSource.emptyToNull(m.get("market")),
                        RefSource.emptyToNull(m.get("series")),
                        RefSource.emptyToNull(m.get("currency")),
                        RefSource.emptyToNull(m.get("unit")),
                        RefSource.emptyToNull(m.get("unit_reported")),
                        m.get("freq"),
                        RefSource.emptyToNull(m.get("name")),
                        RefSource.emptyToNull(m.get("note"))))
            .toList(),
        "source STRING, series_id STRING, metal STRING, market STRING, series STRING,"
            + " currency STRING, unit STRING, unit_reported STRING, freq STRING, name STRING,"
            + " note STRING");
  }
}
