package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * Year-on-year growth, year-to-date totals and annual totals for any keyed series (SPEC §6).
 *
 * <p>Input columns: the key columns, {@code freq} (M, Q or A), {@code year}, {@code sub} (month or
 * quarter; null for annual), {@code months_covered}, {@code value_t} (may be null), {@code
 * ytd_pub_t} (a published cumulative value, may be null), {@code published_yoy_pct}, {@code
 * published_ytd_yoy_pct}, {@code comp} (a comparability tag: values are compared with the prior
 * year only when the tags are equal) and {@code flags}.
 *
 * <p>Rules, all with guards rather than exceptions (ANSI mode):
 *
 * <ul>
 *   <li>A month with only a cumulative value is the difference of consecutive cumulative values;
 *       January is its own cumulative value; a February with no January in its year covers
 *       January-February combined ({@code months_covered = 2}).
 *   <li>{@code ytd_t} is the published cumulative value, else the sum of the year's months up to
 *       this one when none is missing.
 *   <li>{@code yoy_pct = (value / prev_value - 1) * 100}, null when the prior value is missing or
 *       zero; a combined January-February is compared with the prior year's cumulative February.
 *   <li>Annual rows: the reported annual value, else the sum of twelve months when all are known.
 * </ul>
 */
public final class Growth {
  private Growth() {}

  public static Dataset<Row> compute(Dataset<Row> values, List<String> keys) {
    // Month values feed both the monthly rows and the annual sums, and every row feeds both
    // sides of the prior-year join: cache them so the windows run once, not four times.
    Dataset<Row> monthly =
        derivedMonths(values.filter(col("freq").equalTo("M")), keys)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> quarterly =
        values
            .filter(col("freq").equalTo("Q"))
            .withColumn("value_method", when(col("value_t").isNotNull(), lit("reported")))
            .withColumn("ytd_t", lit(null).cast("double"));
    Dataset<Row> annual = annual(values, monthly, keys);

    List<String> cols = new ArrayList<>(keys);
    cols.addAll(
        List.of(
            "freq",
            "year",
            "sub",
            "months_covered",
            "value_t",
            "ytd_t",
            "published_yoy_pct",
            "published_ytd_yoy_pct",
            "comp",
            "flags",
            "value_method"));
    Column[] select = cols.stream().map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> all =
        monthly
            .select(select)
            .unionByName(quarterly.select(select))
            .unionByName(annual.select(select));
    return withPriorYear(all.persist(StorageLevel.MEMORY_AND_DISK()), keys);
  }

  /** Month values derived from cumulative ones where only those are published. */
  static Dataset<Row> derivedMonths(Dataset<Row> monthly, List<String> keys) {
    List<Column> part = new ArrayList<>();
    keys.forEach(k -> part.add(col(k)));
    part.add(col("year"));
    WindowSpec inYear = Window.partitionBy(part.toArray(new Column[0])).orderBy(col("sub"));
    Column prevSub = lag(col("sub"), 1).over(inYear);
    Column prevYtd = lag(col("ytd_pub_t"), 1).over(inYear);
    Column janFebImplicit =
        col("value_t")
            .isNull()
            .and(col("sub").equalTo(2))
            .and(prevSub.isNull())
            .and(col("ytd_pub_t").isNotNull());
    Dataset<Row> derived =
        monthly
            .withColumn(
                "__value",
                coalesce(
                    col("value_t"),
                    when(col("sub").equalTo(1), col("ytd_pub_t"))
                        .when(
                            prevSub.equalTo(col("sub").minus(col("months_covered"))),
                            col("ytd_pub_t").minus(prevYtd))
                        .when(janFebImplicit, col("ytd_pub_t"))))
            .withColumn(
                "value_method",
                when(col("value_t").isNotNull(), lit("reported"))
                    .when(col("__value").isNotNull(), lit("from_ytd")))
            .withColumn(
                "months_covered", when(janFebImplicit, lit(2)).otherwise(col("months_covered")))
            .withColumn("value_t", col("__value"))
            .drop("__value");
    WindowSpec upToHere = inYear.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column covered = sum(col("months_covered")).over(upToHere);
    Column missing = sum(when(col("value_t").isNull(), 1).otherwise(0)).over(upToHere);
    Column cumulative = sum(col("value_t")).over(upToHere);
    return derived.withColumn(
        "ytd_t",
        coalesce(
            col("ytd_pub_t"),
            when(covered.equalTo(col("sub")).and(missing.equalTo(0)), cumulative)));
  }

  /** Reported annual values, else the sum of twelve known months. */
  static Dataset<Row> annual(Dataset<Row> values, Dataset<Row> monthly, List<String> keys) {
    List<Column> group = new ArrayList<>();
    keys.forEach(k -> group.add(col(k)));
    group.add(col("year"));
    Dataset<Row> fromMonths =
        monthly
            .groupBy(group.toArray(new Column[0]))
            .agg(
                sum(col("months_covered")).as("__covered"),
                sum(when(col("value_t").isNull(), 1).otherwise(0)).as("__missing"),
                sum(col("value_t")).as("__sum"),
                count(lit(1)).as("__rows"),
                min(col("comp")).as("__comp_min"),
                max(col("comp")).as("__comp_max"))
            .withColumn(
                "__from_months",
                when(col("__covered").equalTo(12).and(col("__missing").equalTo(0)), col("__sum")))
            .withColumn(
                "__months_comp",
                when(col("__comp_min").eqNullSafe(col("__comp_max")), col("__comp_min"))
                    .otherwise(lit("mixed")))
            .select(concatCols(group, col("__from_months"), col("__months_comp")));
    Dataset<Row> reported =
        values
            .filter(col("freq").equalTo("A"))
            .groupBy(group.toArray(new Column[0]))
            .agg(
                first(col("value_t"), true).as("__reported"),
                first(col("published_yoy_pct"), true).as("published_yoy_pct"),
                first(col("comp"), true).as("__reported_comp"),
                first(col("flags"), true).as("flags"));
    List<String> joinCols = new ArrayList<>(keys);
    joinCols.add("year");
    Dataset<Row> joined = nullSafeFullJoin(reported, fromMonths, joinCols);
    return joined
        .withColumn("freq", lit("A"))
        .withColumn("sub", lit(null).cast("int"))
        .withColumn("months_covered", lit(12))
        .withColumn("value_t", coalesce(col("__reported"), col("__from_months")))
        .withColumn(
            "value_method",
            when(col("__reported").isNotNull(), lit("reported"))
                .when(col("__from_months").isNotNull(), lit("sum_of_months")))
        .withColumn(
            "comp",
            when(col("__reported").isNotNull(), col("__reported_comp"))
                .otherwise(col("__months_comp")))
        .withColumn("ytd_t", lit(null).cast("double"))
        .withColumn("published_ytd_yoy_pct", lit(null).cast("double"))
        .filter(col("value_t").isNotNull().or(col("__reported_comp").isNotNull()));
  }

  /** Joins each row to the same period a year earlier and computes the changes. */
  static Dataset<Row> withPriorYear(Dataset<Row> all, List<String> keys) {
    Dataset<Row> prev =
        all.select(
            concatCols(
                renamed(keys, "__p_"),
                col("freq").as("__p_freq"),
                col("year").plus(1).as("__p_year"),
                col("sub").as("__p_sub"),
                col("months_covered").as("__p_mc"),
                col("value_t").as("__p_value"),
                col("ytd_t").as("__p_ytd"),
                col("comp").as("__p_comp")));
    Column on =
        col("freq")
            .equalTo(col("__p_freq"))
            .and(col("year").equalTo(col("__p_year")))
            .and(col("sub").eqNullSafe(col("__p_sub")));
    for (String k : keys) {
      on = on.and(col(k).eqNullSafe(col("__p_" + k)));
    }
    Column comparable = col("comp").eqNullSafe(col("__p_comp"));
    Column prevValue =
        when(
            comparable,
            when(col("months_covered").equalTo(col("__p_mc")), col("__p_value"))
                .when(
                    col("freq")
                        .equalTo("M")
                        .and(col("sub").equalTo(2))
                        .and(col("months_covered").equalTo(2)),
                    col("__p_ytd")));
    Column prevYtd = when(comparable, col("__p_ytd"));
    Dataset<Row> joined = all.join(prev, on, "left");
    List<Column> out = new ArrayList<>();
    keys.forEach(k -> out.add(col(k)));
    out.add(col("freq"));
    out.add(col("year"));
    out.add(when(col("freq").equalTo("M"), col("sub")).cast("int").as("month"));
    out.add(when(col("freq").equalTo("Q"), col("sub")).cast("int").as("quarter"));
    out.add(
        when(col("freq").equalTo("M"), format_string("%04d-%02d", col("year"), col("sub")))
            .when(col("freq").equalTo("Q"), format_string("%04d-Q%d", col("year"), col("sub")))
            .otherwise(col("year").cast("string"))
            .as("period"));
    out.add(col("months_covered"));
    out.add(col("value_t"));
    out.add(prevValue.as("prev_value_t"));
    out.add(pct(col("value_t"), prevValue).as("yoy_pct"));
    out.add(col("ytd_t"));
    out.add(prevYtd.as("prev_ytd_t"));
    out.add(pct(col("ytd_t"), prevYtd).as("ytd_yoy_pct"));
    out.add(col("published_yoy_pct"));
    out.add(col("published_ytd_yoy_pct"));
    out.add(col("value_method"));
    out.add(col("flags"));
    out.add(col("comp"));
    return joined.select(out.toArray(new Column[0]));
  }

  /** {@code (v / prev - 1) * 100}; null when either is missing or the prior value is zero. */
  public static Column pct(Column value, Column prev) {
    return try_divide(value, when(prev.notEqual(0), prev)).minus(1).multiply(100);
  }

  static Column[] renamed(List<String> keys, String prefix) {
    return keys.stream().map(k -> col(k).as(prefix + k)).toArray(Column[]::new);
  }

  static Column[] concatCols(List<Column> head, Column... tail) {
    List<Column> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(new Column[0]);
  }

  static Column[] concatCols(Column[] head, Column... tail) {
    return concatCols(List.of(head), tail);
  }

  static Dataset<Row> nullSafeFullJoin(Dataset<Row> left, Dataset<Row> right, List<String> on) {
    Dataset<Row> r = right;
    for (String c : on) {
      r = r.withColumnRenamed(c, "__r_" + c);
    }
    Column cond = null;
    for (String c : on) {
      Column eq = left.col(c).eqNullSafe(r.col("__r_" + c));
      cond = cond == null ? eq : cond.and(eq);
    }
    Dataset<Row> j = left.join(r, cond, "full_outer");
    for (String c : on) {
      j = j.withColumn(c, coalesce(col(c), col("__r_" + c))).drop("__r_" + c);
    }
    return j;
  }
}
