package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.CountryCapacity;
import org.metalslake.conform.Outcome;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.Keys;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * USGS Mineral Commodity Summaries world production tables as released, in every layout USGS has
 * used, found from the header: the per-commodity {@code mcs20NN-xxxxx_world.csv} of every release
 * before 2025 ({@code Source,Country,Type,Prod_kt_2022,Prod_kt_est_2023,Prod_notes,Reserves_kt,…},
 * units in the column names, {@code Est}/{@code est} spelled both ways, capacity columns {@code
 * Cap_kt_…} for aluminium, trailing empty columns) and the combined {@code MCS2025_World_Data.csv}
 * ({@code SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_2023,PROD_EST_ 2024,…}, units in {@code
 * UNIT_MEAS}). One row per commodity, country and type with production for two years (the second an
 * estimate) and, for some commodities, capacity for the same years, which goes to {@code
 * silver.country_capacity}. Reserves are recognised and not stored. {@code World total} and {@code
 * Other countries} rows are kept under the pseudo-codes WLD and XOC, never as countries.
 * Commodities outside the product's scope (cement, salt, …) are counted and skipped.
 *
 * <p>A per-commodity file has no commodity column: the commodity is the one its {@code Type} texts
 * name (ref usgs_commodities.csv, {@code type_words}), else the one the file's USGS stem names
 * ({@code mcs2022-nicke_world.csv}, whose rows say only "Mine production"). The layout itself is
 * always found from the header: {@code mcs2024-cobal_salient.csv}, a world table under a salient
 * name, is read as the world table it is. The release is the {@code Source} column, blanks dropped
 * ({@code MCS 2024} is MCS2024).
 */
public final class UsgsWorldFormat extends BasicFormat {
  public static final String SOURCE = "usgs-mcs";

  public UsgsWorldFormat() {
    super(
        "usgs-mcs-world",
        "Source,[Commodity,]Country,Type,[Unit_meas,]Prod_[<unit>_][est_]<year>,…,Prod_notes,…",
        Tables.USGS_WORLD_RAW,
        List.of(
            "source",
            "commodity",
            "country",
            "type",
            "unit_meas",
            "prod_notes",
            "cap_notes",
            "reserve_notes"));
  }

  @Override
  public Map<String, String> aliases() {
    return Map.of("prodnote", "prod_notes", "reservesnotes", "reserve_notes");
  }

  /** USGS revises its figures release by release: each release's are kept as vintages. */
  @Override
  public boolean keepsVintages() {
    return true;
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("source", "country", "type"))
        && header.anyKeyMatches("prod(t|kt|kg|mt)?(est)?[0-9]{4}");
  }

  /**
   * Bronze columns holding a production or capacity figure of a year, with the unit where the
   * column name has it: PROD_2023, CAP_EST_ 2024, Prod_kt_Est_2021, Prod_t_est_2023.
   */
  static final java.util.regex.Pattern YEAR_COLUMN =
      java.util.regex.Pattern.compile("(prod|cap)_((t|kt|kg|mt)_)?(est_)?[0-9]{4}");

  /** A USGS release label as one token: {@code MCS 2024} and {@code mcs2024} are MCS2024. */
  public static Column release(Column source) {
    return org.apache.spark.sql.functions.nullif(
        regexp_replace(upper(trim(source)), "\\s+", ""), lit(""));
  }

  /**
   * The commodity of each record: its own column where the layout has one, else the commodity the
   * file's Type texts name, else the one its USGS file stem names (ref usgs_commodities.csv).
   */
  static Column commodity(Dataset<Row> bronze, RefData ref) {
    Column type = Keys.normalise(coalesce(col("type"), lit("")));
    Column stem =
        regexp_extract(
            lower(col("_source_file")), "mcs[0-9]{4}-([a-z]+)_[a-z]+\\.[a-z]+(\\.gz)?$", 1);
    Column fromType = lit(null).cast("string");
    Column fromStem = lit(null).cast("string");
    for (Map<String, String> m : ref.usgsCommodities()) {
      String name = m.get("commodity");
      String words = String.join("|", m.get("type_words").split("\\|"));
      fromType = when(type.rlike("\\b(" + words + ")\\b"), lit(name)).otherwise(fromType);
      fromStem =
          when(stem.isin((Object[]) m.get("file_stems").split("\\|")), lit(name))
              .otherwise(fromStem);
    }
    Column own =
        java.util.Arrays.asList(bronze.columns()).contains("commodity")
            ? org.apache.spark.sql.functions.nullif(trim(col("commodity")), lit(""))
            : lit(null).cast("string");
    Column ofFile =
        org.apache
            .spark
            .sql
            .functions
            .first(fromType, true)
            .over(org.apache.spark.sql.expressions.Window.partitionBy(col("_file_id")));
    return coalesce(own, ofFile, fromStem);
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> base =
        bronze
            .withColumn("__commodity", commodity(bronze, ref))
            .withColumn("__type", col("type"))
            .withColumn("__prod_notes", lower(coalesce(col("prod_notes"), lit(""))))
            .withColumn("__cap_notes", lower(coalesce(col("cap_notes"), lit(""))));
    Dataset<Row> mapped = ref.withUsgsWorldType(base, "__commodity", "__type");
    Column inScope = col("metal").isNotNull();
    // Production (PROD_2023, PROD_EST_ 2024) and capacity (CAP_2023, CAP_EST_ 2024) figures.
    List<Column> cells = new java.util.ArrayList<>();
    for (String c : bronze.columns()) {
      if (YEAR_COLUMN.matcher(c).matches()) {
        cells.add(lit(c));
        cells.add(col(c));
      }
    }
    Column yearValues =
        when(
            inScope,
            map_filter(
                map(cells.toArray(new Column[0])),
                (k, v) -> v.isNotNull().and(trim(v).notEqual(""))));
    Dataset<Row> exploded =
        mapped.select(
            concatCols(
                Outcome.lineage(),
                col("country"),
                col("unit_meas"),
                release(col("source")).as("__release"),
                col("__commodity"),
                col("__type"),
                col("__prod_notes"),
                col("__cap_notes"),
                col("metal"),
                col("stage"),
                col("basis"),
                explode_outer(yearValues).as(new String[] {"__key", "__value"})));
    Column year = regexp_extract(col("__key"), "([0-9]{4})", 1);
    exploded =
        exploded
            .join(broadcast(shiftedCopies(exploded.withColumn("__year", year))), "_file_id", "left")
            .withColumn("__key", when(col("__copy_of").isNull(), col("__key")));
    Column isCapacity = col("__key").startsWith("cap_");
    Column notes = when(isCapacity, col("__cap_notes")).otherwise(col("__prod_notes"));
    // Estimated: an _EST_ column, a type marked estimated, or a note saying so (for this
    // year, or for no year in particular).
    Column estimated =
        col("__key")
            .contains("_est_")
            .or(lower(col("__type")).contains("estimated"))
            .or(
                notes
                    .contains("estimated")
                    .and(notes.rlike("[0-9]{4}").unary_$bang().or(notes.contains(year))));
    Map<String, Column> given = new java.util.HashMap<>();
    given.put("period", year);
    given.put("country", col("country"));
    given.put("region", lit(null).cast("string"));
    given.put("metal", col("metal"));
    given.put("stage", col("stage"));
    given.put("quantity", col("__value"));
    // The unit: UNIT_MEAS where the layout has it, else the column name's (Prod_kt_2022).
    given.put(
        "unit",
        coalesce(
            org.apache.spark.sql.functions.nullif(trim(col("unit_meas")), lit("")),
            org.apache.spark.sql.functions.nullif(
                regexp_extract(col("__key"), "^(?:prod|cap)_(t|kt|kg|mt)_", 1), lit(""))));
    given.put("basis", col("basis"));
    given.put("source", lit(SOURCE));
    given.put("flag", when(estimated, lit("e")));
    given.put("release", col("__release"));
    // Rows of commas only, which USGS leaves after the data (up to 27 in one file).
    Column blank =
        coalesce(trim(col("country")), lit(""))
            .equalTo("")
            .and(coalesce(trim(col("__type")), lit("")).equalTo(""));
    given.put(
        "_skip_reason",
        when(blank, lit("blank row"))
            .when(
                col("__copy_of").isNotNull(),
                concat(
                    lit("the file repeats "),
                    col("__copy_of"),
                    lit(
                        " of the same release with every year labelled one year earlier; its"
                            + " figures are taken from that file only")))
            .when(
                col("metal").isNull(),
                concat(
                    lit("outside scope: USGS commodity "),
                    Reasons.quoted(trim(col("__commodity"))),
                    lit(", type "),
                    Reasons.quoted(trim(col("__type")))))
            .when(
                col("__key").isNull(),
                lit("no production or capacity figure in the record (empty or reserves only)")));
    // Conformed in two passes so each figure reaches its table; a record without any figure
    // (out of scope, reserves only) goes with production, once.
    return productionAndCapacity(exploded, isCapacity, given, ref);
  }

  /**
   * USGS world figures to their tables: capacity figures ({@code isCapacity}) to {@code
   * silver.country_capacity}, the others, and the records without any figure, to {@code
   * silver.production}, in two passes of the production rules over the candidate columns {@code
   * given}.
   */
  static Map<TableId, Dataset<Row>> productionAndCapacity(
      Dataset<Row> figures, Column isCapacity, Map<String, Column> given, RefData ref) {
    Column capacity = coalesce(isCapacity, lit(false));
    return Map.of(
        Tables.PRODUCTION,
        ProductionConformer.conform(
            ProductionConformer.candidates(figures.filter(capacity.unary_$bang()), given), ref),
        Tables.COUNTRY_CAPACITY,
        CountryCapacity.fromConformed(
            ProductionConformer.conform(
                ProductionConformer.candidates(figures.filter(capacity), given), ref)));
  }

  /** Columns of a world table that hold reserves, which are recognised and not stored. */
  private static final java.util.regex.Pattern RESERVES =
      java.util.regex.Pattern.compile("reserves?(_.*)?");

  /**
   * Columns with figures that no rule reads (not a production, capacity or reserves column, not a
   * note), one message per file and column.
   */
  @Override
  public List<String> warnings(Dataset<Row> bronze, RefData ref) {
    List<String> unknown = new java.util.ArrayList<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_")
          && !columns().contains(c)
          && !YEAR_COLUMN.matcher(c).matches()
          && !RESERVES.matcher(c).matches()) {
        unknown.add(c);
      }
    }
    if (unknown.isEmpty()) {
      return List.of();
    }
    List<Column> counts = new java.util.ArrayList<>();
    for (String c : unknown) {
      counts.add(
          org.apache.spark.sql.functions.count(when(trim(col(c)).notEqual(""), lit(1))).as(c));
    }
    List<String> out = new java.util.ArrayList<>();
    for (Row r :
        bronze
            .groupBy("_source_file")
            .agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0]))
            .orderBy("_source_file")
            .collectAsList()) {
      for (int i = 0; i < unknown.size(); i++) {
        if (r.getLong(i + 1) > 0) {
          out.add(
              "USGS world file "
                  + r.getString(0)
                  + ": column '"
                  + unknown.get(i)
                  + "' holds figures no rule reads; they were not stored");
        }
      }
    }
    return out;
  }

  /**
   * Files that repeat another file of the same release with every year labelled one year earlier
   * (USGS shipped {@code mcs2024-cobal_salient.csv}: the cobalt world table of MCS2024 with {@code
   * Prod_t_est_2021, Prod_t_est_2022} over the figures {@code mcs2024-cobal_world.csv} labels 2022
   * and 2023). Read as labelled, they would give a year the next year's figures. Found when both
   * files are in one batch: per file and year, a signature of its (country, type, figure) rows; a
   * file all of whose years match another file's following years is a shifted copy. Columns {@code
   * _file_id}, {@code __copy_of} (the other file's name).
   */
  static Dataset<Row> shiftedCopies(Dataset<Row> exploded) {
    Dataset<Row> cells =
        exploded.filter(col("__key").isNotNull().and(col("__key").startsWith("prod_")));
    Dataset<Row> sig =
        cells
            .groupBy(col("_file_id"), col("_source_file"), col("__release"), col("__year"))
            .agg(
                org.apache
                    .spark
                    .sql
                    .functions
                    .sha2(
                        org.apache.spark.sql.functions.concat_ws(
                            "|",
                            org.apache.spark.sql.functions.array_sort(
                                org.apache.spark.sql.functions.collect_list(
                                    org.apache.spark.sql.functions.concat_ws(
                                        "~",
                                        col("country"),
                                        col("__type"),
                                        trim(col("__value")))))),
                        256)
                    .as("__sig"));
    Dataset<Row> other =
        sig.select(
            col("_file_id").as("__of"),
            col("_source_file").as("__osf"),
            col("__release").as("__or"),
            col("__year").as("__oy"),
            col("__sig").as("__os"));
    Dataset<Row> years = sig.groupBy("_file_id").count().withColumnRenamed("count", "__years");
    return sig.join(
            other,
            col("__release")
                .eqNullSafe(col("__or"))
                .and(col("__sig").equalTo(col("__os")))
                .and(col("__oy").cast("int").equalTo(col("__year").cast("int").plus(1)))
                .and(col("_file_id").notEqual(col("__of"))))
        .groupBy(col("_file_id"), col("__osf"))
        .count()
        .join(years, "_file_id")
        .filter(col("count").equalTo(col("__years")))
        .groupBy("_file_id")
        .agg(
            org.apache
                .spark
                .sql
                .functions
                .min(regexp_extract(col("__osf"), "([^/\\\\]+)$", 1))
                .as("__copy_of"));
  }

  private static Column[] concatCols(Column[] head, Column... tail) {
    Column[] out = new Column[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
