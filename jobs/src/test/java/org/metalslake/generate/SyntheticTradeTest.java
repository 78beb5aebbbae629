package org.metalslake.generate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.ref.RefData;
import org.metalslake.testing.SparkTest;

/** The synthetic Comtrade+ rows: column order, unique total keys and the promised noise. */
class SyntheticTradeTest extends SparkTest {
  static final String[] KEY = {"reporterCode", "partnerCode", "flowCode", "cmdCode", "period"};

  @Test
  void totalsAreUniqueAndTheNoiseIsWhatTheJavadocSays() {
    long rows = 100_000;
    Dataset<Row> df =
        SyntheticTrade.generate(spark(), RefData.load(spark(), null), null, rows, 42).cache();
    try {
      assertEquals(SyntheticTrade.COLUMNS, Arrays.asList(df.columns()));
      assertEquals(rows, df.count());

      Column total =
          col("motCode")
              .equalTo(0)
              .and(col("customsCode").equalTo("C00"))
              .and(col("partner2Code").equalTo(0));
      Dataset<Row> totals = df.filter(total);
      Dataset<Row> others = df.filter(total.unary_$bang());
      assertEquals(totals.count(), totals.select(cols(KEY)).distinct().count());
      // every non-total row repeats the key of a total row
      assertEquals(0, others.select(cols(KEY)).except(totals.select(cols(KEY))).count());

      assertShare(others.count(), rows, 0.04, 0.06, "non-total rows");
      assertShare(df.filter(col("partnerCode").equalTo(0)).count(), rows, 0.015, 0.025, "world");
      Dataset<Row> missing = df.filter(col("netWgt").isNull());
      assertShare(missing.count(), rows, 0.006, 0.014, "missing weights");
      assertEquals(0, missing.filter(col("qty").notEqual(0)).count());
      long bad =
          df.filter(
                  col("reporterCode")
                      .equalTo(999)
                      .or(col("cmdCode").isin("740390", "750290", "760190")))
              .count();
      assertShare(bad, rows, 0.0005, 0.0015, "bad rows");
      assertEquals(
          0,
          df.filter(
                  col("refYear")
                      .lt(2022)
                      .and(col("classificationCode").notEqual("H5"))
                      .or(col("refYear").geq(2022).and(col("classificationCode").notEqual("H6"))))
              .count());
      assertEquals(0, df.filter(col("reporterCode").equalTo(col("partnerCode"))).count());
      assertTrue(df.select("reporterCode").distinct().count() > 200);
      assertTrue(df.select("cmdCode").distinct().count() > 50);
    } finally {
      df.unpersist();
    }
  }

  private static Column[] cols(String... names) {
    return Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static void assertShare(long n, long of, double lo, double hi, String what) {
    double share = (double) n / of;
    assertTrue(share >= lo && share <= hi, what + ": " + share);
  }
}
