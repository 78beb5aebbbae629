package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableDoc;

/**
 * Canonical trade candidates (strings, as the formats map them) to typed {@code silver.trade_flows}
 * facts in gross weight and metal content, with a quarantine reason for every fact that cannot be
 * trusted.
 *
 * <p>Candidate columns: lineage and {@code record}; {@code period, reporter, partner, flow,
 * commodity, quantity, unit, basis, value_usd, source, flag, release, hs_vintage} (strings); {@code
 * metal, stage} when the source states them (then the commodity is a label, not an HS code); {@code
 * reporter_iso3, partner_iso3} when the format resolved the countries itself (numeric codes);
 * {@code _pre_reason}, {@code _skip_reason} and {@code _weight_missing} (true when the source says
 * the weight is missing rather than zero) set by the format.
 */
public final class TradeConformer {
  private TradeConformer() {}

  public static final List<String> KEY =
      List.of("source", "reporter_iso3", "partner_iso3", "flow", "commodity_code", "period");

  /** Flows kept: imports, exports, re-imports, re-exports. */
  public static final List<String> FLOWS = List.of("M", "X", "RM", "RX");

  public static final TableDoc DOC =
      TableDoc.of(
              "Trade flows, typed and conformed: gross weight and metal content in metric tonnes,"
                  + " value in US dollars")
          .column("source", "Dataset the flow comes from: comtrade, baci, usgs_mcs_salient, …")
          .column("reporter_iso3", "Reporting country (ISO3)")
          .column("partner_iso3", "Partner country (ISO3); WLD = world total, XOC = areas n.e.s.")
          .column("partner_kind", "country, world or other")
          .column(
              "flow",
              "M imports, X exports, RM re-imports, RX re-exports (RM/RX are 'of which' parts of"
                  + " M/X, never added to them)")
          .column("commodity_code", "HS code as reported (digits), or the source's series label")
          .column("hs_vintage", "HS nomenclature vintage (H0…H6, HS92…HS22) when given")
          .column("metal", "Metal code from ref.metals (via ref.hs_commodities for HS codes)")
          .column("stage", "Value-chain stage from ref.stages (via ref.hs_commodities)")
          .column("basis", "Basis the source reported the quantity in: gross or metal_content")
          .column("period", "YYYY, YYYY-MM or YYYY-Qn")
          .column("gross_t", "Gross weight in metric tonnes (null when missing or not reported)")
          .column("content_factor", "Metal content per tonne of gross weight applied")
          .column("metal_content_t", "Metal content in metric tonnes")
          .column("value_usd", "Trade value in US dollars")
          .column("weight_missing", "True when the source gave no weight (missing, not zero)")
          .column("unit_reported", "Unit of the quantity as published")
          .column("flags", "e estimated, W withheld, p provisional, r revised")
          .column("release", "Release or vintage of the source");

  /** The source columns candidates are read from (the generic format of the dataset). */
  public static final List<String> SOURCE_COLUMNS =
      List.of(
          "period",
          "reporter",
          "partner",
          "flow",
          "commodity",
          "quantity",
          "unit",
          "basis",
          "value_usd",
          "source",
          "flag",
          "release");

  private static final List<String> NULL_UNLESS_GIVEN =
      List.of(
          "hs_vintage",
          "metal",
          "stage",
          "reporter_iso3",
          "reporter_iso3_kind",
          "partner_iso3",
          "partner_iso3_kind",
          "_skip_reason");

  public static Dataset<Row> candidates(Dataset<Row> records, Map<String, Column> given) {
    return Candidates.of(
        records,
        SOURCE_COLUMNS,
        NULL_UNLESS_GIVEN,
        given,
        given.getOrDefault("_weight_missing", lit(false)).as("_weight_missing"));
  }

  /** M, X, RM, RX from codes or words (import, export, re-export, re-import); null otherwise. */
  static Column flowCode(Column raw) {
    Column f = regexp_replace(lower(trim(raw)), "[\\s_-]+", "");
    return when(f.isin("m", "import", "imports"), lit("M"))
        .when(f.isin("x", "export", "exports"), lit("X"))
        .when(f.isin("rm", "reimport", "reimports"), lit("RM"))
        .when(f.isin("rx", "reexport", "reexports"), lit("RX"));
  }

  public static Dataset<Row> conform(Dataset<Row> candidates, RefData ref) {
    Dataset<Row> df = Numbers.withDecimalCommaFiles(candidates, "quantity", "value_usd");
    df = Periods.parse(df, col("period"));
    // Countries: formats with numeric codes resolve them; names and ISO codes are looked up here.
    df =
        df.withColumn("__rep_name", when(col("reporter_iso3").isNull(), col("reporter")))
            .withColumn("__par_name", when(col("partner_iso3").isNull(), col("partner")));
    df = ref.withCountry(df, "__rep_name", "__rep");
    df = ref.withCountry(df, "__par_name", "__par");
    df =
        df.withColumn("__reporter", coalesce(col("reporter_iso3"), col("__rep")))
            .withColumn("__partner", coalesce(col("partner_iso3"), col("__par")))
            .withColumn("__partner_kind", coalesce(col("partner_iso3_kind"), col("__par_kind")))
            .withColumn("__reporter_kind", coalesce(col("reporter_iso3_kind"), col("__rep_kind")));
    // Commodity: the metal and stage the source states, else the HS code's.
    Column stated = present(col("metal"));
    df =
        df.withColumn(
            "__code",
            when(stated, trim(col("commodity")))
                .otherwise(regexp_replace(coalesce(col("commodity"), lit("")), "[^0-9]", "")));
    df = ref.withHsCommodity(df, "__code", "__hs");
    df = ref.withMetal(df, "metal", "__metal_stated");
    df = ref.withStage(df, "stage", "__stage_stated");
    df = ref.withUnit(df, "unit", "__unit");
    Column hsCode = when(stated.unary_$bang(), col("__code"));
    Column aggregate = hsCode.isNotNull().and(length(hsCode).lt(4));
    Column inScope = ref.hsInScope(col("__code"));

    Column qty = Numbers.parse("quantity");
    Column value = Numbers.parse("value_usd");
    Column basisNorm =
        ProductionConformer.basis(
            col("basis"), when(stated, lit("metal_content")).otherwise(lit("gross")));
    Column flow = flowCode(col("flow"));
    Column quantityMissing = present(col("quantity")).unary_$bang().or(col("_weight_missing"));
    df =
        df.withColumn("__q", when(col("_weight_missing").unary_$bang(), qty))
            .withColumn("__v", value)
            .withColumn("__basis", basisNorm)
            .withColumn("__flow", flow)
            .withColumn("__metal", when(stated, col("__metal_stated")).otherwise(col("__hs_metal")))
            .withColumn("__stage", when(stated, col("__stage_stated")).otherwise(col("__hs_stage")))
            .withColumn("__missing", quantityMissing);

    Column skip =
        coalesce(
            col("_skip_reason"),
            when(
                aggregate,
                concat(
                    lit("HS aggregate "),
                    Reasons.quoted(col("commodity")),
                    lit(" (a chapter or total, not a commodity row)"))),
            when(
                col("__flow").isNull().and(present(col("flow"))).and(col("_pre_reason").isNull()),
                concat(lit("flow "), Reasons.quoted(col("flow")), lit(" not used (M, X, RM, RX)"))),
            when(
                stated
                    .unary_$bang()
                    .and(aggregate.unary_$bang())
                    .and(col("__hs_metal").isNull())
                    .and(inScope.unary_$bang())
                    .and(present(col("commodity"))),
                concat(
                    lit("HS code "),
                    Reasons.quoted(col("commodity")),
                    lit(" outside the metals covered (ref.hs_scope)"))));
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.possible("period", col("__period_bad"), col("period")),
            Rules.known("reporter", col("__reporter"), col("reporter")),
            Rules.known("partner", col("__partner"), col("partner")),
            Rules.required("flow", col("flow")),
            Rules.required(stated.unary_$bang(), "commodity code", col("commodity")),
            Rules.unknown(
                "HS code",
                stated.unary_$bang().and(inScope).and(col("__hs_metal").isNull()),
                col("commodity"),
                " in the metals chapters (not in ref.hs_commodities)"),
            Rules.unknown("metal", stated.and(col("__metal_stated").isNull()), col("metal")),
            Rules.unknown("stage", stated.and(col("__stage_stated").isNull()), col("stage")),
            Rules.unknown(
                "unit", col("__missing").unary_$bang().and(col("__unit").isNull()), col("unit")),
            Rules.oneOf("basis", col("__basis"), "gross", "metal_content"),
            Rules.number(
                col("_weight_missing").unary_$bang(), "number", "quantity", "quantity", qty),
            Rules.number("value", "value", "value_usd", col("__v")),
            when(
                col("__missing").and(col("__v").isNull()),
                lit("missing quantity and value (give at least one)")),
            Rules.nonNegative("quantity or value", col("__q"), col("__v")),
            // Gross weight, or metal content as reported; content from gross weight is less.
            Rules.plausible(
                "quantity",
                col("__q").multiply(col("__unit_factor")),
                ref.quantityCeilings().tonnes(col("__metal")),
                ref.quantityCeilings().setting(col("__metal")),
                col("quantity"),
                col("unit")),
            when(
                col("__reporter").isNotNull().and(col("__reporter").equalTo(col("__partner"))),
                lit("reporter and partner are the same country")));

    Column tonnes = col("__q").multiply(col("__unit_factor"));
    Column gross = col("__basis").equalTo("gross");
    Column factor = when(gross, when(stated, lit(null)).otherwise(col("__hs_factor")));
    return Reasons.judged(df, skip, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                col("__reporter").as("reporter_iso3"),
                col("__partner").as("partner_iso3"),
                col("__partner_kind").as("partner_kind"),
                col("__flow").as("flow"),
                col("__code").as("commodity_code"),
                nullif(upper(trim(col("hs_vintage"))), lit("")).as("hs_vintage"),
                col("__metal").as("metal"),
                col("__stage").as("stage"),
                col("__basis").as("basis"),
                col("period_norm").as("period"),
                col("__freq").as("freq"),
                col("year"),
                col("quarter"),
                col("month"),
                col("months_covered"),
                when(gross, tonnes).as("gross_t"),
                factor.as("content_factor"),
                when(gross, tonnes.multiply(factor)).otherwise(tonnes).as("metal_content_t"),
                col("__v").as("value_usd"),
                col("__missing").as("weight_missing"),
                when(col("__missing").unary_$bang(), col("__unit")).as("unit_reported"),
                nullif(trim(col("flag")), lit("")).as("flags"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
