package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.nvl0;
import static org.metalslake.gold.TradeTotals.toCols;
import static org.metalslake.gold.TradeTotals.toSeq;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.supply_balance} (SPEC §6): per country, metal, stage, basis and period (annual, and
 * monthly where the inputs are monthly), production, imports, exports, stock change, apparent
 * consumption, net imports, import reliance, self-sufficiency and raw-material self-sufficiency,
 * with the NIR the source published beside the computed one.
 *
 * <p>Each measure comes from one source per key: the first in the configured priority list ({@code
 * balance.source-priority}) that has it, then the others alphabetically; the chosen sources are
 * columns of the row. Trade is the World total where the source reports one, else the sum over
 * partners, per commodity; re-exports and re-imports are shown but never added to exports and
 * imports (they are part of them).
 */
public final class SupplyBalance {
  private SupplyBalance() {}

  static final List<String> KEY =
      List.of("country_iso3", "metal", "stage", "basis", "freq", "year", "month", "period");

  private static final List<String> JOIN =
      List.of("country_iso3", "metal", "stage", "basis", "period");

  public static final TableDoc DOC =
      TableDoc.of(
              "Supply balance per country, metal, stage and period: production, trade, stock"
                  + " change, apparent consumption, import reliance and self-sufficiency;"
                  + " quantities in metric tonnes of metal content (basis = gross for commodities"
                  + " without a content factor)")
          .column("country_iso3", "ISO3 of the country")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage of the balance (mine, refinery, …) from ref.stages")
          .column("basis", "metal_content, or gross where no content factor applies")
          .column("freq", "A annual, M monthly")
          .column("year", "Calendar year")
          .column("month", "Month 1-12; null for annual rows")
          .column("period", "YYYY or YYYY-MM")
          .column("production_t", "Domestic production at this stage, t (null when withheld)")
          .column("imports_t", "Imports, t (World total, else sum over partners)")
          .column("exports_t", "Exports, t")
          .column("re_imports_t", "Re-imports, t (part of imports, shown for information)")
          .column("re_exports_t", "Re-exports, t (part of exports, shown for information)")
          .column(
              "stock_change_t",
              "Stock increase over the period, t (levels differenced, plus reported changes;"
                  + " null when no stock figures exist, then counted as 0)")
          .column(
              "stock_change_method",
              "levels_and_reported_changes, or implied_by_published_consumption for the first"
                  + " year of a stock series (the change that makes the balance equal the"
                  + " consumption the source published)")
          .column(
              "apparent_consumption_t",
              "production + imports - exports - stock increase, t; null without production or"
                  + " without any trade figure")
          .column("net_imports_t", "imports - exports, t")
          .column(
              "import_reliance_pct",
              "(imports - exports - stock increase) / apparent consumption * 100 (method trade);"
                  + " null for a net exporter;"
                  + " (apparent consumption - production) / apparent consumption * 100 with the"
                  + " source's published consumption (method consumption, USGS nickel); null when"
                  + " consumption is not positive")
          .column(
              "import_reliance_text",
              "The import reliance as USGS prints it: E for a net exporter, else the rounded"
                  + " percent")
          .column(
              "net_import_ratio_pct",
              "The signed ratio behind import_reliance_pct, negative for a net exporter (not an"
                  + " import reliance)")
          .column("net_exporter", "True when imports - exports - stock increase < 0")
          .column("self_sufficiency_pct", "production / apparent consumption * 100")
          .column("mine_production_t", "Domestic mine production of the metal, same period, t")
          .column(
              "raw_material_self_sufficiency_pct",
              "Domestic mine output / production at this processing stage * 100: how much of the"
                  + " smelters' and refineries' feed the country's own mines could supply")
          .column("published_nir_pct", "Net import reliance as the source published it, percent")
          .column("published_nir_text", "The published NIR as written: E net exporter, >75 bound")
          .column(
              "published_apparent_consumption_t", "Apparent consumption as the source published it")
          .column("nir_method", "trade or consumption (see import_reliance_pct)")
          .column("trade_months", "Months of trade data in an annual row (12 = complete)")
          .column("missing_weight_flows", "Trade flows without a weight (value only), not counted")
          .column("production_source", "Source of production_t")
          .column("trade_source", "Source of imports_t and exports_t")
          .column("stocks_source", "Source of stock_change_t");

  public static Dataset<Row> compute(
      Dataset<Row> production,
      Dataset<Row> trade,
      Dataset<Row> stocks,
      Dataset<Row> published,
      List<String> priority) {
    return fromFlows(
        production,
        TradeTotals.annual(TradeTotals.withBalanceQuantity(trade)),
        stocks,
        published,
        priority);
  }

  /**
   * {@link #compute} from the monthly and annual trade flows on their balance basis ({@link
   * GoldInputs#annualTradeFlows}).
   */
  static Dataset<Row> fromFlows(
      Dataset<Row> production,
      Dataset<Row> annualFlows,
      Dataset<Row> stocks,
      Dataset<Row> published,
      List<String> priority) {
    org.apache.spark.sql.SparkSession spark = annualFlows.sparkSession();
    String keyDdl =
        "source STRING, country_iso3 STRING, metal STRING, stage STRING, basis STRING,"
            + " freq STRING, year INT, month INT, period STRING, ";
    Dataset<Row> prod =
        production == null
            ? empty(spark, keyDdl + "production_t DOUBLE")
            : pick(productionByPeriod(production), priority);
    Dataset<Row> flows = pick(tradeByPeriod(annualFlows), priority);
    Dataset<Row> stock =
        stocks == null
            ? empty(spark, keyDdl + "stock_change_t DOUBLE, stock_levels_incomplete BOOLEAN")
            : pick(stocksByPeriod(stocks), priority);
    Dataset<Row> pub =
        published == null
            ? empty(
                spark,
                keyDdl
                    + "published_nir_pct DOUBLE, published_nir_text STRING,"
                    + " published_apparent_consumption_t DOUBLE, nir_method STRING")
            : pick(publishedByPeriod(published), priority);

    // Joined on the period (which carries frequency, year and month): month is null on annual
    // rows, and null never equals null in a join.
    Dataset<Row> all =
        prod.drop("freq", "year", "month")
            .withColumnRenamed("source", "production_source")
            .join(
                flows.drop("freq", "year", "month").withColumnRenamed("source", "trade_source"),
                toSeq(JOIN),
                "full_outer")
            .join(
                stock.drop("freq", "year", "month").withColumnRenamed("source", "stocks_source"),
                toSeq(JOIN),
                "full_outer")
            .join(pub.drop("source", "freq", "year", "month"), toSeq(JOIN), "left")
            .withColumn(
                "freq", when(length(col("period")).equalTo(4), lit("A")).otherwise(lit("M")))
            .withColumn("year", col("period").substr(1, 4).cast("int"))
            .withColumn(
                "month", when(col("freq").equalTo("M"), col("period").substr(6, 2).cast("int")));

    Dataset<Row> mine =
        prod.filter(col("stage").equalTo("mine").and(col("basis").equalTo("metal_content")))
            .select(
                col("country_iso3").as("__mc"),
                col("metal").as("__mm"),
                col("period").as("__mp"),
                col("production_t").as("mine_production_t"));

    Column anyTrade = col("imports_t").isNotNull().or(col("exports_t").isNotNull());
    Column net = nvl0(col("imports_t")).minus(nvl0(col("exports_t")));
    // The first year of a stock series has no level to difference against. Where the source
    // publishes its apparent consumption (USGS), the stock change it used is the one that makes
    // production + net imports - stock change equal that figure: it is taken from there, and
    // stock_change_method says so.
    Column acPub = col("published_apparent_consumption_t");
    Column implied =
        coalesce(col("stock_levels_incomplete"), lit(false))
            .and(acPub.isNotNull())
            .and(col("production_t").isNotNull())
            .and(anyTrade);
    all =
        all.withColumn(
                "stock_change_method",
                when(implied, lit("implied_by_published_consumption"))
                    .when(col("stock_change_t").isNotNull(), lit("levels_and_reported_changes")))
            .withColumn(
                "stock_change_t",
                when(implied, col("production_t").plus(net).minus(acPub))
                    .otherwise(col("stock_change_t")));
    Column netOfStocks = net.minus(nvl0(col("stock_change_t")));
    Column ac =
        when(col("production_t").isNotNull().and(anyTrade), col("production_t").plus(netOfStocks));
    Column method = coalesce(col("nir_method"), lit("trade"));
    Column signedReliance =
        when(
                method.equalTo("consumption"),
                when(
                    acPub.gt(0), try_divide(acPub.minus(col("production_t")), acPub).multiply(100)))
            .otherwise(
                when(
                    col("apparent_consumption_t").gt(0),
                    try_divide(netOfStocks, col("apparent_consumption_t")).multiply(100)));
    Column processing = col("stage").isin("smelter", "refinery", "primary");
    // A net exporter has no import reliance: USGS prints E, and so does the balance, instead of a
    // figure such as -4 478 % (the signed ratio stays in net_import_ratio_pct).
    Column netExporter = when(anyTrade, netOfStocks.lt(0));
    return all.withColumn("apparent_consumption_t", ac)
        .withColumn("net_imports_t", when(anyTrade, net))
        .withColumn("nir_method", method)
        .withColumn("net_import_ratio_pct", signedReliance)
        .withColumn("net_exporter", netExporter)
        .withColumn(
            "import_reliance_pct",
            when(coalesce(netExporter, lit(false)), lit(null).cast("double"))
                .otherwise(col("net_import_ratio_pct")))
        .withColumn(
            "import_reliance_text",
            when(coalesce(netExporter, lit(false)), lit("E"))
                .otherwise(
                    org.apache
                        .spark
                        .sql
                        .functions
                        .round(col("import_reliance_pct"), 0)
                        .cast("long")
                        .cast("string")))
        .withColumn(
            "self_sufficiency_pct",
            when(
                col("apparent_consumption_t").gt(0),
                try_divide(col("production_t"), col("apparent_consumption_t")).multiply(100)))
        .join(
            mine,
            col("country_iso3")
                .equalTo(col("__mc"))
                .and(col("metal").equalTo(col("__mm")))
                .and(col("period").equalTo(col("__mp")))
                .and(processing)
                .and(col("basis").equalTo("metal_content")),
            "left")
        .withColumn(
            "raw_material_self_sufficiency_pct",
            when(
                col("production_t").gt(0),
                try_divide(col("mine_production_t"), col("production_t")).multiply(100)))
        .select(
            col("country_iso3"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("freq"),
            col("year"),
            col("month"),
            col("period"),
            col("production_t"),
            col("imports_t"),
            col("exports_t"),
            col("re_imports_t"),
            col("re_exports_t"),
            col("stock_change_t"),
            col("stock_change_method"),
            col("apparent_consumption_t"),
            col("net_imports_t"),
            col("import_reliance_pct"),
            col("import_reliance_text"),
            col("net_import_ratio_pct"),
            col("net_exporter"),
            col("self_sufficiency_pct"),
            col("mine_production_t"),
            col("raw_material_self_sufficiency_pct"),
            col("published_nir_pct"),
            col("published_nir_text"),
            col("published_apparent_consumption_t"),
            col("nir_method"),
            col("trade_months"),
            col("missing_weight_flows"),
            col("production_source"),
            col("trade_source"),
            col("stocks_source"));
  }

  private static Dataset<Row> empty(org.apache.spark.sql.SparkSession spark, String ddl) {
    return spark.createDataFrame(
        List.<Row>of(), org.apache.spark.sql.types.StructType.fromDDL(ddl));
  }

  /** Keeps, per key, the rows of the highest-priority source. */
  static Dataset<Row> pick(Dataset<Row> bySource, List<String> priority) {
    return Sources.pick(bySource, KEY, priority);
  }

  /** National production per source and period: monthly, and annual (reported or 12 months). */
  static Dataset<Row> productionByPeriod(Dataset<Row> production) {
    Dataset<Row> national =
        production.filter(col("region").isNull().and(col("country_kind").equalTo("country")));
    Dataset<Row> months =
        national
            .filter(col("freq").equalTo("M"))
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("basis"),
                lit("M").as("freq"),
                col("year"),
                col("month"),
                col("period"),
                col("months_covered"),
                col("quantity_t"),
                col("flags"));
    // Monthly rows of the balance: single months (a combined January-February has no month of
    // its own); the year: the reported annual figure, else the months when they cover all 12.
    Dataset<Row> monthly = months.filter(col("months_covered").equalTo(1)).drop("months_covered");
    Dataset<Row> annual =
        AnnualProduction.of(production)
            .filter(col("country_kind").equalTo("country"))
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("basis"),
                lit("A").as("freq"),
                col("year"),
                lit(null).cast("int").as("month"),
                col("year").cast("string").as("period"),
                col("production_t").as("quantity_t"),
                col("flags"));
    return monthly
        .unionByName(annual)
        .groupBy(toCols(withSource(KEY)))
        .agg(sum("quantity_t").as("production_t"));
  }

  /** Imports, exports and re-flows per country and period, from {@link TradeTotals#annual}. */
  static Dataset<Row> tradeByPeriod(Dataset<Row> flows) {
    List<String> keys =
        List.of(
            "source",
            "reporter_iso3",
            "metal",
            "stage",
            "bal_basis",
            "freq",
            "year",
            "month",
            "period",
            "flow");
    Dataset<Row> byFlow = TradeTotals.byFlow(flows, keys);
    Column f = col("flow");
    return byFlow
        .groupBy(
            col("source"),
            col("reporter_iso3").as("country_iso3"),
            col("metal"),
            col("stage"),
            col("bal_basis").as("basis"),
            col("freq"),
            col("year"),
            col("month"),
            col("period"))
        .agg(
            sum(when(f.equalTo("M"), col("value_t"))).as("imports_t"),
            sum(when(f.equalTo("X"), col("value_t"))).as("exports_t"),
            sum(when(f.equalTo("RM"), col("value_t"))).as("re_imports_t"),
            sum(when(f.equalTo("RX"), col("value_t"))).as("re_exports_t"),
            max(when(col("freq").equalTo("A"), col("months_covered"))).as("trade_months"),
            sum("missing_weight_flows").as("missing_weight_flows"));
  }

  /**
   * Stock change per source and period: year-end (or month-end) levels differenced per series, plus
   * reported changes. Annual levels are the reported annual figure or December's.
   */
  static Dataset<Row> stocksByPeriod(Dataset<Row> stocks) {
    Dataset<Row> s = stocks.filter(col("freq").isin("M", "A"));
    Dataset<Row> levelsA =
        s.filter(col("stock_level_t").isNotNull())
            .filter(col("freq").equalTo("A").or(col("month").equalTo(12)))
            .withColumn("__is_a", col("freq").equalTo("A"))
            .withColumn(
                "__r",
                row_number()
                    .over(
                        Window.partitionBy(
                                col("source"),
                                col("country_iso3"),
                                col("metal"),
                                col("stage"),
                                col("series"),
                                col("basis"),
                                col("year"))
                            .orderBy(col("__is_a").desc())))
            .filter(col("__r").equalTo(1))
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("series"),
                col("basis"),
                lit("A").as("freq"),
                col("year"),
                lit(null).cast("int").as("month"),
                col("year").cast("string").as("period"),
                col("year").minus(1).cast("string").as("__prev_period"),
                col("stock_level_t"));
    Dataset<Row> levelsM =
        s.filter(col("stock_level_t").isNotNull().and(col("freq").equalTo("M")))
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("series"),
                col("basis"),
                lit("M").as("freq"),
                col("year"),
                col("month"),
                col("period"),
                org.apache
                    .spark
                    .sql
                    .functions
                    .date_format(
                        org.apache.spark.sql.functions.add_months(
                            org.apache.spark.sql.functions.to_date(col("period"), "yyyy-MM"), -1),
                        "yyyy-MM")
                    .as("__prev_period"),
                col("stock_level_t"));
    Dataset<Row> levels = levelsA.unionByName(levelsM);
    Dataset<Row> prev =
        levels.select(
            col("source").as("__ps"),
            col("country_iso3").as("__pc"),
            col("metal").as("__pm"),
            col("stage").as("__pst"),
            col("series").as("__pse"),
            col("basis").as("__pb"),
            col("freq").as("__pf"),
            col("period").as("__pp"),
            col("stock_level_t").as("__prev_level"));
    Dataset<Row> diffs =
        levels
            .join(
                prev,
                col("source")
                    .equalTo(col("__ps"))
                    .and(col("country_iso3").equalTo(col("__pc")))
                    .and(col("metal").equalTo(col("__pm")))
                    .and(col("stage").equalTo(col("__pst")))
                    .and(col("series").equalTo(col("__pse")))
                    .and(col("basis").equalTo(col("__pb")))
                    .and(col("freq").equalTo(col("__pf")))
                    .and(col("__prev_period").equalTo(col("__pp"))),
                "left")
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("freq"),
                col("year"),
                col("month"),
                col("period"),
                col("stock_level_t").minus(col("__prev_level")).as("__change"),
                col("__prev_level").isNull().as("__no_prev"));
    Dataset<Row> reported =
        s.filter(col("stock_change_t").isNotNull())
            .select(
                col("source"),
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("freq"),
                col("year"),
                col("month"),
                col("period"),
                col("stock_change_t").as("__change"),
                lit(false).as("__no_prev"));
    return diffs
        .unionByName(reported)
        .groupBy(toCols(withSource(KEY)))
        .agg(
            sum("__change").as("stock_change_t"),
            max(col("__no_prev")).as("stock_levels_incomplete"));
  }

  /** The published measures of a balance (the leading producer's figures of USGS are not). */
  static final List<String> BALANCE_MEASURES =
      List.of("apparent_consumption", "reported_consumption", "nir");

  static Dataset<Row> publishedByPeriod(Dataset<Row> published) {
    Column m = col("measure");
    return published
        .filter(m.isin(BALANCE_MEASURES.toArray()))
        .withColumn("freq", lit("A"))
        .withColumn("month", lit(null).cast("int"))
        .groupBy(toCols(withSource(KEY)))
        .agg(
            max(when(m.equalTo("nir"), col("value"))).as("published_nir_pct"),
            max(when(m.equalTo("nir"), col("value_text"))).as("published_nir_text"),
            max(when(m.equalTo("apparent_consumption"), col("value")))
                .as("published_apparent_consumption_t"),
            first(when(m.equalTo("nir"), col("method")), true).as("nir_method"));
  }

  private static List<String> withSource(List<String> key) {
    List<String> out = new ArrayList<>();
    out.add("source");
    out.addAll(key);
    return out;
  }
}
