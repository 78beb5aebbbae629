package org.metalslake.generate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.ref.RefData;

/**
 * Synthetic production in the generic long format, at realistic cardinalities: about 200 countries
 * × 30 metals × 6 stages, monthly, so that N rows are N/months series of {@code months} consecutive
 * months. Countries are written alternately as ISO3 codes and names, metals as codes and names,
 * units as t and kt, as real files mix them; one row in a thousand is deliberately bad (an unknown
 * country) and must end in quarantine.
 */
public final class SyntheticProduction {
  private SyntheticProduction() {}

  public static final int MONTHS = 120;

  public static Dataset<Row> generate(SparkSession spark, RefData ref, long rows, long seed) {
    List<Row> countries =
        ref.countries()
            .filter(col("kind").equalTo("country").and(col("until").isNull()))
            .orderBy("iso3")
            .limit(200)
            .collectAsList();
    Column isoArr = lit(countries.stream().map(r -> r.getString(0)).toArray(String[]::new));
    Column nameArr = lit(countries.stream().map(r -> r.getString(3)).toArray(String[]::new));
    String[] metals = {
      "CU", "AL", "PB", "ZN", "NI", "SN", "SB", "HG", "MG", "TI", "CO", "LI", "TA", "NB", "PT",
      "PD", "AU", "AG", "W", "MO", "GA", "GE", "IN", "BI", "CD", "REE", "BE", "SE", "TE", "V"
    };
    String[] metalNames = {
      "copper",
      "aluminium",
      "lead",
      "zinc",
      "nickel",
      "tin",
      "antimony",
      "mercury",
      "magnesium",
      "titanium",
      "cobalt",
      "lithium",
      "tantalum",
      "niobium",
      "platinum",
      "palladium",
      "gold",
      "silver",
      "tungsten",
      "molybdenum",
      "gallium",
      "germanium",
      "indium",
      "bismuth",
      "cadmium",
      "rare earths",
      "beryllium",
      "selenium",
      "tellurium",
      "vanadium"
    };
    String[] stages = {"mine", "smelter", "refinery", "primary", "secondary", "semis"};
    int nc = countries.size();
    Column series = floor(col("id").divide(MONTHS));
    Column month = pmod(col("id"), lit(MONTHS));
    Column c = pmod(series, lit(nc)).plus(1);
    Column m = pmod(floor(series.divide(nc)), lit(metals.length)).plus(1);
    // (country, metal, stage) is unique per series up to nc × metals × stages series.
    Column rest = floor(series.divide(nc));
    Column s = pmod(floor(rest.divide(metals.length)).plus(rest), lit(stages.length)).plus(1);
    Column h = abs(xxhash64(series, lit(seed)));
    Column level = pmod(h, lit(500_000)).plus(100);
    Column noise = pmod(abs(xxhash64(col("id"), lit(seed))), lit(1000)).divide(10000.0);
    Column value = level.multiply(sin(month.multiply(0.5236)).multiply(0.05).plus(1).plus(noise));
    Column inKt = pmod(series, lit(3)).equalTo(0);
    Column bad = pmod(col("id"), lit(1000)).equalTo(7);
    return spark
        .range(rows)
        .select(
            date_format(add_months(to_date(lit("2015-01-01")), month.cast("int")), "yyyy-MM")
                .as("period"),
            when(bad, lit("Atlantis"))
                .when(pmod(series, lit(2)).equalTo(0), element_at(isoArr, c.cast("int")))
                .otherwise(element_at(nameArr, c.cast("int")))
                .as("country"),
            lit("").as("region"),
            when(pmod(series, lit(2)).equalTo(0), element_at(lit(metals), m.cast("int")))
                .otherwise(element_at(lit(metalNames), m.cast("int")))
                .as("metal"),
            element_at(lit(stages), s.cast("int")).as("stage"),
            when(inKt, round(value.divide(1000), 3)).otherwise(round(value, 1)).as("quantity"),
            when(inKt, lit("kt")).otherwise(lit("t")).as("unit"),
            lit("metal_content").as("basis"),
            lit("synthetic-benchmark").as("source"),
            lit("").as("flag"));
  }
}
