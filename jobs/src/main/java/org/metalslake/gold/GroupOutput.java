package org.metalslake.gold;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.group_output}: composite groups of metals (e.g. China's ten non-ferrous metals) from
 * {@code ref.metal_groups}, summed per country and source with the same growth columns. A period's
 * value is the sum of the members reported for it; growth is only computed against a prior period
 * with the same members, so a member missing in one year never shows up as a fall in output.
 */
public final class GroupOutput {
  private GroupOutput() {}

  public static final List<String> KEYS =
      List.of("group_code", "country_iso3", "region", "basis", "source");

  public static final TableDoc DOC =
      GoldDocs.growth(
          TableDoc.of(
                  "Output of composite metal groups (ref.metal_groups) with year-on-year growth,"
                      + " year-to-date and annual totals; metric tonnes")
              .column("group_code", "Group code from ref.metal_groups")
              .column("group_name", "Group name")
              .column("country_iso3", "ISO3; WLD world total, XOC other countries")
              .column("region", "Sub-national region, null for national figures")
              .column("basis", "Basis of the member figures")
              .column("source", "Publisher of the member figures")
              .column("members", "Member metals summed in this period, comma-separated")
              .column("members_reported", "Number of member metals with a value in this period")
              .column("members_expected", "Number of member metals in the group")
              .column(
                  "published_yoy_pct",
                  "YoY change of the group as its source publishes it, percent (where one does)")
              .column(
                  "published_ytd_yoy_pct",
                  "Year-to-date change of the group as its source publishes it, percent"));

  public static Dataset<Row> compute(Dataset<Row> silverProduction, Dataset<Row> groups) {
    List<String> memberKeys = ProductionGrowth.KEYS;
    Dataset<Row> values = ProductionGrowth.values(silverProduction);
    Dataset<Row> monthly =
        Growth.derivedMonths(values.filter(col("freq").equalTo("M")), memberKeys)
            .withColumn("ytd_pub_t", col("ytd_t"));
    Dataset<Row> other = values.filter(col("freq").notEqual("M"));
    List<String> valueCols =
        List.of(
            "metal",
            "stage",
            "country_iso3",
            "region",
            "basis",
            "source",
            "freq",
            "year",
            "sub",
            "months_covered",
            "value_t",
            "ytd_pub_t");
    Column[] sel = valueCols.stream().map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> memberValues = monthly.select(sel).unionByName(other.select(sel));

    Dataset<Row> g =
        broadcast(
            groups.select(
                col("group_code"),
                col("group_name"),
                col("metal").as("__gm"),
                col("stage").as("__gs")));
    Dataset<Row> joined =
        memberValues.join(
            g, col("metal").equalTo(col("__gm")).and(col("stage").equalTo(col("__gs"))));

    List<Column> by = new ArrayList<>();
    for (String k :
        List.of("group_code", "country_iso3", "region", "basis", "source", "freq", "year", "sub")) {
      by.add(col(k));
    }
    Dataset<Row> summed =
        joined
            .groupBy(by.toArray(new Column[0]))
            .agg(
                first(col("group_name")).as("group_name"),
                sum(col("value_t")).as("__sum"),
                count(when(col("value_t").isNull(), 1)).as("__missing"),
                sum(col("ytd_pub_t")).as("__ytd_sum"),
                count(when(col("ytd_pub_t").isNull(), 1)).as("__ytd_missing"),
                min(col("months_covered")).as("__mc_min"),
                max(col("months_covered")).as("__mc_max"),
                array_sort(collect_set(col("metal"))).as("__members"));
    Dataset<Row> groupValues =
        summed
            .filter(col("__mc_min").equalTo(col("__mc_max")))
            .select(
                col("group_code"),
                col("group_name"),
                col("country_iso3"),
                col("region"),
                col("basis"),
                col("source"),
                col("freq"),
                col("year"),
                col("sub"),
                col("__mc_min").as("months_covered"),
                when(col("__missing").equalTo(0), col("__sum")).as("value_t"),
                when(col("__ytd_missing").equalTo(0), col("__ytd_sum")).as("ytd_pub_t"),
                lit(null).cast("double").as("published_yoy_pct"),
                lit(null).cast("double").as("published_ytd_yoy_pct"),
                concat_ws(",", col("__members")).as("comp"),
                lit(null).cast("string").as("flags"));

    Dataset<Row> expected =
        groups
            .groupBy(col("group_code").as("__eg"))
            .agg(
                countDistinct(col("metal"), col("stage")).as("members_expected"),
                first(col("group_name")).as("__name"));
    Dataset<Row> grown = Growth.compute(groupValues.drop("group_name"), KEYS);
    return grown
        .join(broadcast(expected), col("group_code").equalTo(col("__eg")), "left")
        .withColumn("group_name", col("__name"))
        .withColumn("members", col("comp"))
        .withColumn(
            "members_reported",
            when(col("comp").isNull().or(col("comp").equalTo("")), lit(0))
                .when(col("comp").equalTo("mixed"), lit(null).cast("int"))
                .otherwise(size(split(col("comp"), ","))))
        .drop("comp", "__eg", "__name", "flags");
  }
}
