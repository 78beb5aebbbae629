package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.ingest.Bronze;
import org.metalslake.ref.RefData;
import org.metalslake.sources.SourceFormat;
import org.metalslake.sources.generic.GenericProductionFormat;
import org.metalslake.sources.generic.GenericTradeFormat;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Numbers are numbers (SPEC §8 Hostile input): non-finite values, implausible quantities and commas
 * that may be thousands separators or decimal commas, through the generic formats' conform with the
 * bundled reference data.
 */
class NumbersTest extends SparkTest {
  private static final double TOL = 1e-9;

  private static final List<String> PRODUCTION =
      List.of("period", "country", "region", "metal", "stage", "quantity", "unit", "basis");

  private static final List<String> TRADE =
      List.of(
          "period",
          "reporter",
          "partner",
          "flow",
          "commodity",
          "quantity",
          "unit",
          "basis",
          "value_usd");

  private static final String CEILING = " (above 1,000,000,000 t, ingest.max-quantity-t)";

  private static RefData ref;

  @BeforeAll
  static void loadRef() {
    ref = RefData.load(spark(), "");
  }

  /** One bronze row of file {@code file} as {@link Bronze#read} makes it. */
  private static Row bronze(
      SourceFormat format, List<String> header, String file, long line, String csv) {
    List<String> fields = CsvReader.builder().ofSingleCsvRecord(csv).getFields();
    List<String> columns = format.columns();
    Object[] v = new Object[Bronze.LINEAGE.fields().length + columns.size()];
    v[0] = "b1";
    v[1] = file;
    v[2] = "file:/landing/" + file + ".csv";
    v[3] = line;
    v[4] = format.name();
    v[5] = new Timestamp(0);
    v[6] = fields.size();
    v[7] = header.size();
    v[8] = null;
    for (int i = 0; i < header.size() && i < fields.size(); i++) {
      String f = fields.get(i);
      v[Bronze.LINEAGE.fields().length + columns.indexOf(header.get(i))] = f.isEmpty() ? null : f;
    }
    return RowFactory.create(v);
  }

  private static final GenericProductionFormat PRODUCTION_FORMAT = new GenericProductionFormat();
  private static final GenericTradeFormat TRADE_FORMAT = new GenericTradeFormat();

  private static Row production(String file, long line, String csv) {
    return bronze(PRODUCTION_FORMAT, PRODUCTION, file, line, csv);
  }

  private static Dataset<Row> conform(
      SourceFormat format, TableId table, RefData with, Row... rows) {
    Dataset<Row> bronze = spark().createDataFrame(List.of(rows), Bronze.schema(format.columns()));
    return format.conform(bronze, with).get(table);
  }

  @Test
  void nonFiniteValuesAreQuarantined() {
    Dataset<Row> out =
        conform(
            PRODUCTION_FORMAT,
            Tables.PRODUCTION,
            ref,
            production("f1", 2, "2024,CHN,,CU,mine,NaN,t,"),
            production("f1", 3, "2024,CHN,,CU,mine,nan,t,"),
            production("f1", 4, "2024,CHN,,CU,mine,Infinity,t,"),
            // only non-finite: an infinity below zero is not also "negative"
            production("f1", 5, "2024,CHN,,CU,mine,-Infinity,t,"),
            production("f1", 6, "2024,CHN,,CU,mine,+inf,t,"),
            production("f1", 7, "2024,CHN,,CU,mine,-NAN,t,"),
            // too large for a double: read as Infinity
            production("f1", 8, "2024,CHN,,CU,mine,1e999,t,"),
            // a plain value among them is unaffected
            production("f1", 9, "2024,CHN,,CU,mine,12.5,kt,"));
    assertRows(
        List.of(
            row(2L, "non-finite quantity 'NaN'", "error", null),
            row(3L, "non-finite quantity 'nan'", "error", null),
            row(4L, "non-finite quantity 'Infinity'", "error", null),
            row(5L, "non-finite quantity '-Infinity'", "error", null),
            row(6L, "non-finite quantity '+inf'", "error", null),
            row(7L, "non-finite quantity '-NAN'", "error", null),
            row(8L, "non-finite quantity '1e999'", "error", null),
            // 12.5 kt * 1000 = 12 500 t
            row(9L, null, null, 12500.0)),
        rows(out, "_line", "_reason", "_severity", "quantity_t"),
        TOL);
  }

  @Test
  void implausibleQuantitiesAreQuarantinedWithTheSettingNamed() {
    RefData lithiumCapped = ref.withQuantityCeilings(1.0e9, Map.of("lithium", 1.0e8));
    Dataset<Row> out =
        conform(
            PRODUCTION_FORMAT,
            Tables.PRODUCTION,
            lithiumCapped,
            // 1e30 kt = 1e33 t, above 1e9 t
            production("f1", 2, "2024,CHN,,CU,mine,1e30,kt,"),
            // 1500 Mt = 1.5e9 t, above 1e9 t
            production("f1", 3, "2024,CHN,,CU,mine,1500,Mt,"),
            // exactly at the ceiling: 1000 Mt = 1e9 t is still plausible
            production("f1", 4, "2024,PER,,CU,mine,1000,Mt,"),
            // lithium has its own: 200 000 kt = 2e8 t, above 1e8 t
            production("f1", 5, "2024,CHL,,Li,mine,200000,kt,"),
            // copper at the same figure is below the general ceiling
            production("f1", 6, "2024,CHL,,CU,mine,200000,kt,"));
    assertRows(
        List.of(
            row(2L, "implausible quantity '1e30' kt" + CEILING, null),
            row(3L, "implausible quantity '1500' Mt" + CEILING, null),
            row(4L, null, 1.0e9),
            row(
                5L,
                "implausible quantity '200000' kt (above 100,000,000 t,"
                    + " ingest.max-quantity-t-by-metal.lithium)",
                null),
            row(6L, null, 2.0e8)),
        rows(out, "_line", "_reason", "case when _reason is null then quantity_t end"),
        TOL);
    // A metal the reference data does not know is a configuration error naming the key.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ref.withQuantityCeilings(1.0e9, Map.of("unobtainium", 1.0)));
    assertTrue(
        e.getMessage().contains("ingest.max-quantity-t-by-metal.unobtainium"), e.getMessage());
  }

  @Test
  void thousandsSeparatorsAreReadWhereTheFileIsUnambiguous() {
    Dataset<Row> out =
        conform(
            PRODUCTION_FORMAT,
            Tables.PRODUCTION,
            ref,
            production("f1", 2, "2024,CHN,,CU,mine,\"1,234\",t,"),
            production("f1", 3, "2024,PER,,CU,mine,\"1,234,567.5\",t,"),
            production("f1", 4, "2024,CHL,,CU,mine,\"-1,234\",t,"),
            // neither a thousands pattern nor, in a file of thousands patterns, a decimal comma
            production("f1", 5, "2024,USA,,CU,mine,\"12,34,567\",t,"),
            production("f1", 6, "2024,AUS,,CU,mine,7,t,"),
            // file 2 writes decimal commas: its 1,234 could be 1.234
            production("f2", 2, "2024,CHN,,CU,mine,\"1,5\",t,"),
            production("f2", 3, "2024,PER,,CU,mine,\"1,234\",t,"),
            production("f2", 4, "2024,CHL,,CU,mine,\"1.234,5\",t,"),
            production("f2", 5, "2024,USA,,CU,mine,8,t,"));
    String misplaced = " (a decimal comma or misplaced thousands separator)";
    assertRows(
        List.of(
            row("f1", 2L, null, 1234.0),
            row("f1", 3L, null, 1234567.5),
            row("f1", 4L, "negative quantity", null),
            row("f1", 5L, "unparseable number '12,34,567'" + misplaced, null),
            row("f1", 6L, null, 7.0),
            row("f2", 2L, "unparseable number '1,5'" + misplaced, null),
            row(
                "f2",
                3L,
                "unparseable number '1,234' (ambiguous: a thousands separator, but the file also"
                    + " uses decimal commas)",
                null),
            row("f2", 4L, "unparseable number '1.234,5'" + misplaced, null),
            row("f2", 5L, null, 8.0)),
        rows(out, "_file_id", "_line", "_reason", "case when _reason is null then quantity_t end"),
        TOL);
  }

  @Test
  void tradeValuesAndWeights() {
    RefData capped = ref.withQuantityCeilings(1.0e6, Map.of());
    Dataset<Row> out =
        conform(
            TRADE_FORMAT,
            Tables.TRADE_FLOWS,
            capped,
            bronze(TRADE_FORMAT, TRADE, "t1", 2, "2024,Chile,China,export,740311,10,t,,NaN"),
            // 2e9 kg = 2e6 t gross, above a ceiling of 1e6 t
            bronze(TRADE_FORMAT, TRADE, "t1", 3, "2024,Chile,China,export,740311,2e9,kg,,1"),
            bronze(
                TRADE_FORMAT,
                TRADE,
                "t1",
                4,
                "2024,Chile,China,export,740311,\"1,500\",t,,\"2,500,000\""));
    assertRows(
        List.of(
            row(2L, "non-finite value 'NaN'", null, null),
            row(
                3L,
                "implausible quantity '2e9' kg (above 1,000,000 t, ingest.max-quantity-t)",
                null,
                null),
            // 1,500 t gross; 2,500,000 USD
            row(4L, null, 1500.0, 2500000.0)),
        rows(
            out,
            "_line",
            "_reason",
            "case when _reason is null then gross_t end",
            "case when _reason is null then value_usd end"),
        TOL);
    assertEquals(0, out.filter(col("_reason").isNull().and(col("gross_t").isNaN())).count());
  }
}
