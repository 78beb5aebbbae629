package org.metalslake.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Groups of metals at a stage (metal_groups.csv), such as China's ten non-ferrous metals. */
final class MetalGroups {
  private final Dataset<Row> table;

  MetalGroups(RefSource source) {
    List<Row> rows = new ArrayList<>();
    for (Map<String, String> m : source.records("metal_groups.csv")) {
      rows.add(
          RowFactory.create(
              m.get("group_code"), m.get("group_name"), m.get("metal"), m.get("stage")));
    }
    table = source.frame(rows, "group_code STRING, group_name STRING, metal STRING, stage STRING");
  }

  Dataset<Row> table() {
    return table;
  }
}
