package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.Keys;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableDoc;

/**
 * A trade dataset's own country-code list (CEPII's {@code country_codes_V….csv} beside BACI data)
 * to {@code silver.trade_country_codes}: per source, release and numeric code, the country. It is
 * the authority for its release: trade records of that release resolve their codes here first.
 *
 * <p>A code's country is its ISO3 when ref.countries knows it; else (CEPII writes {@code N/A} for
 * areas) the country its name or full name is known by ({@code Other Asia, nes} is Taiwan); else,
 * for an area not elsewhere specified, XOC; else what the bundled lists say of the same code
 * (CEPII's 849, US Misc. Pacific Isds, is an area there). The bundled code list is resolved by the
 * same rule.
 */
public final class TradeCountryCodes {
  private TradeCountryCodes() {}

  public static final List<String> KEY = List.of("source", "release", "code");

  public static final TableDoc DOC =
      TableDoc.of(
              "Country-code lists that came with trade data (CEPII's for BACI), per release: the"
                  + " authority for that release's numeric codes")
          .column("source", "Trade dataset the list belongs to (baci)")
          .column("release", "Release of the dataset (V202201), from the file name")
          .column("code", "Numeric country code as the dataset uses it")
          .column("iso3", "ISO3 of the country; XOC for an area not elsewhere specified")
          .column("kind", "country, world or other")
          .column("name", "Name as the list gives it")
          .column("iso3_given", "ISO3 as the list gives it (N/A for areas)");

  /** Candidate columns: lineage, {@code code, name, name_full, iso3, source, release}. */
  public static Dataset<Row> conform(Dataset<Row> records, Map<String, Column> given, RefData ref) {
    Dataset<Row> df =
        Candidates.of(
            records,
            List.of("code", "name", "name_full", "iso3", "source", "release"),
            List.of(),
            given);
    df = ref.withCountry(df, "iso3", "__by_iso");
    df = ref.withCountry(df, "name", "__by_name");
    df = ref.withCountry(df, "name_full", "__by_full");
    df = ref.withTradeCountryCode(df, "code", "__bundled");
    Column nes =
        coalesce(Keys.isAreaNes(col("name")), lit(false))
            .or(coalesce(Keys.isAreaNes(col("name_full")), lit(false)));
    Column iso3 = firstResolved("", when(nes, lit("XOC")));
    Column kind = firstResolved("_kind", when(nes, lit("other")));
    Column code = trim(col("code")).try_cast("int");
    df = df.withColumn("__iso3", iso3).withColumn("__kind", kind).withColumn("__code", code);
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.parsed("country code", col("code"), col("__code")),
            Rules.required("country code", col("code")),
            when(
                present(col("release")).unary_$bang(),
                lit("no release in the file name (country_codes_V202201.csv names V202201)")),
            when(
                col("__iso3").isNull(),
                concat(
                    lit("unknown country "),
                    Reasons.quoted(col("iso3")),
                    lit(" / "),
                    Reasons.quoted(col("name")),
                    lit(" (not in ref.countries)"))));
    return Reasons.judged(df, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                nullif(trim(col("release")), lit("")).as("release"),
                col("__code").as("code"),
                col("__iso3").as("iso3"),
                col("__kind").as("kind"),
                trim(col("name")).as("name"),
                nullif(trim(col("iso3")), lit("")).as("iso3_given")));
  }

  /**
   * The first resolution that applies, in order: by ISO3, by name, by full name, an area not
   * elsewhere specified ({@code nes}), the bundled code list ({@code suffix} picks iso3 or kind).
   */
  private static Column firstResolved(String suffix, Column nes) {
    return coalesce(
        col("__by_iso" + suffix),
        col("__by_name" + suffix),
        col("__by_full" + suffix),
        nes,
        col("__bundled" + suffix));
  }
}
