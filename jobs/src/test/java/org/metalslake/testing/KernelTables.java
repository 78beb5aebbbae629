package org.metalslake.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * A table read by Delta Kernel for Java — Delta's own reader for engines other than Spark — from
 * its transaction log and Parquet files, with no Spark: the row count and a checksum of one column,
 * to hold against what Spark reads. Deletion vectors and column mapping are applied by the kernel
 * ({@link Scan#transformPhysicalData}).
 */
public final class KernelTables {
  private KernelTables() {}

  /** Row count and checksum of {@code column}: see {@link #checksum(Object)}. */
  public record Read(long rows, String column, long checksum) {}

  /** The first string, long, integer or double column of the table's schema, by name. */
  public static String firstPlainColumn(String path) {
    Engine engine = DefaultEngine.create(new Configuration());
    for (StructField f : snapshot(engine, path).getSchema().fields()) {
      if (plain(f.getDataType())) {
        return f.getName();
      }
    }
    throw new IllegalArgumentException(path + " has no string, long, integer or double column");
  }

  public static Read read(String path, String column) {
    Engine engine = DefaultEngine.create(new Configuration());
    Snapshot snapshot = snapshot(engine, path);
    Scan scan = snapshot.getScanBuilder().build();
    Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    long rows = 0;
    long sum = 0;
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> data =
                engine
                    .getParquetHandler()
                    .readParquetFiles(
                        Utils.singletonCloseableIterator(file), physical, Optional.empty())
                    .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, state, scanFile, data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> r = logical.next().getRows()) {
                  while (r.hasNext()) {
                    Row row = r.next();
                    int i = row.getSchema().indexOf(column);
                    rows++;
                    sum += checksum(value(row, i));
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Read(rows, column, sum);
  }

  /**
   * One value's share of a column checksum: the hash of its text (0 for null), the same for a value
   * Spark returns (String, Long, Integer, Double) and the kernel's; summed, order-free.
   */
  public static long checksum(Object value) {
    return value == null ? 0 : value.toString().hashCode();
  }

  private static Object value(Row row, int i) {
    if (row.isNullAt(i)) {
      return null;
    }
    DataType t = row.getSchema().at(i).getDataType();
    if (t instanceof StringType) {
      return row.getString(i);
    }
    if (t instanceof LongType) {
      return row.getLong(i);
    }
    if (t instanceof IntegerType) {
      return row.getInt(i);
    }
    if (t instanceof DoubleType) {
      return row.getDouble(i);
    }
    throw new IllegalArgumentException("not a plain column: " + t);
  }

  private static boolean plain(DataType t) {
    return t instanceof StringType
        || t instanceof LongType
        || t instanceof IntegerType
        || t instanceof DoubleType;
  }

  private static Snapshot snapshot(Engine engine, String path) {
    try {
      return Table.forPath(engine, path).getLatestSnapshot(engine);
    } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
      throw new IllegalArgumentException(path + " is not a Delta table", e);
    }
  }
}
