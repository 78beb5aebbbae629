package org.metalslake.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

class LakeDiffTest extends SparkTest {
  private static final StructType SCHEMA =
      StructType.fromDDL("country STRING, year INT, value_t DOUBLE, _source_file STRING");

  private Dataset<Row> rows(Object[]... rows) {
    return spark()
        .createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void sumsInAnotherOrderAndOtherLineageAreEqualARealChangeIsNot() {
    // 0.1 + 0.2 summed the other way round differs in the last bit: not a different answer.
    Dataset<Row> a =
        rows(
            new Object[] {"CHL", 2024, 0.1 + 0.2 + 0.3, "a.csv"},
            new Object[] {"PER", 2024, 2_600_000.0, "a.csv"});
    Dataset<Row> sameButReordered =
        rows(
            new Object[] {"PER", 2024, 2_600_000.0, "b.csv"},
            new Object[] {"CHL", 2024, 0.3 + 0.2 + 0.1, "b.csv"});
    assertTrue(0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1, "the fixture needs two different doubles");
    LakeDiff.Result same = LakeDiff.compare("gold.t", a, sameButReordered);
    assertTrue(same.equal(), same.toString());

    // Peru revised by 0.1 %: one row only on each side.
    Dataset<Row> revised =
        rows(
            new Object[] {"CHL", 2024, 0.6, "b.csv"},
            new Object[] {"PER", 2024, 2_602_600.0, "b.csv"});
    LakeDiff.Result diff = LakeDiff.compare("gold.t", a, revised);
    assertFalse(diff.equal());
    assertEquals(
        List.of(2L, 2L, 1L, 1L),
        List.of(diff.rowsA(), diff.rowsB(), diff.onlyInA(), diff.onlyInB()));

    // A sum on a rounding boundary of the compared form (3.2118187005e+05 against …6e+05,
    // 321181.870055 give or take its last bit) is the same answer: paired, within 1e-9.
    Dataset<Row> boundary =
        rows(
            new Object[] {"CHL", 2024, 0.6, "a.csv"},
            new Object[] {"PER", 2024, 321181.870055 - 1e-10, "a.csv"});
    Dataset<Row> otherSide =
        rows(
            new Object[] {"CHL", 2024, 0.6, "b.csv"},
            new Object[] {"PER", 2024, 321181.870055 + 1e-10, "b.csv"});
    LakeDiff.Result near = LakeDiff.compare("gold.t", boundary, otherSide);
    assertTrue(near.equal(), near.toString());
    assertEquals(1L, near.withinTolerance());
    // But not a figure that differs beyond it (the 0.1 % revision above is not paired away).
    assertEquals(1L, LakeDiff.compare("gold.t", a, revised).onlyInA());

    // A duplicated row is a difference too (rows are compared as multisets).
    LakeDiff.Result doubled = LakeDiff.compare("gold.t", a, a.unionByName(a.limit(1)));
    assertEquals(1L, doubled.onlyInB());
  }
}
