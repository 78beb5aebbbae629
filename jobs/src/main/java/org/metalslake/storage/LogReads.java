package org.metalslake.storage;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the Delta log, and of small bookkeeping tables, in this process without a Spark job
 * (through Delta Kernel): a table's snapshot and properties, the rows of a table such as {@code
 * ops.ingested_files}. A run that finds nothing new answers from these alone; a Spark job for each
 * would cost seconds where these cost milliseconds.
 */
final class LogReads {
  private final LazySession session;
  private Engine engine;

  LogReads(LazySession session) {
    this.session = session;
  }

  /**
   * The Kernel's engine on the session's Hadoop configuration (S3 settings included), made once; it
   * does not start the session.
   */
  synchronized Engine engine() {
    if (engine == null) {
      engine = DefaultEngine.create(session.hadoopConf());
    }
    return engine;
  }

  /** The latest snapshot of the table at the location, or empty when there is no table there. */
  Optional<Snapshot> snapshot(String location) {
    try {
      return Optional.of(TableManager.loadSnapshot(qualified(location)).build(engine()));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The table's properties, empty when there is no table. */
  Map<String, String> properties(String location) {
    return snapshot(location).map(Snapshot::getTableProperties).orElse(Map.of());
  }

  /**
   * The rows of a small table, its columns in the order asked: strings, longs, and timestamps as
   * microseconds since the epoch (Delta's own unit), null where null. Empty when there is no table.
   */
  List<Object[]> rows(String location, List<String> columns) {
    Optional<Snapshot> found = snapshot(location);
    if (found.isEmpty()) {
      return List.of();
    }
    Snapshot snapshot = found.get();
    StructType full = snapshot.getSchema();
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(full.get(c));
    }
    Scan scan = snapshot.getScanBuilder().withReadSchema(schema).build();
    Engine e = engine();
    Row state = scan.getScanState(e);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    List<Object[]> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(e)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row fileRow = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
            CloseableIterator<ColumnarBatch> data =
                e.getParquetHandler()
                    .readParquetFiles(
                        io.delta.kernel.internal.util.Utils.singletonCloseableIterator(status),
                        physical,
                        Optional.empty())
                    .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(e, state, fileRow, data)) {
              while (logical.hasNext()) {
                collect(logical.next(), columns.size(), out);
              }
            }
          }
        }
      }
    } catch (IOException x) {
      throw new UncheckedIOException("reading " + location, x);
    }
    return out;
  }

  private static void collect(FilteredColumnarBatch batch, int width, List<Object[]> out) {
    ColumnarBatch data = batch.getData();
    Optional<ColumnVector> selected = batch.getSelectionVector();
    for (int r = 0; r < data.getSize(); r++) {
      if (selected.isPresent() && (selected.get().isNullAt(r) || !selected.get().getBoolean(r))) {
        continue;
      }
      Object[] row = new Object[width];
      for (int c = 0; c < width; c++) {
        ColumnVector v = data.getColumnVector(c);
        if (v.isNullAt(r)) {
          continue;
        }
        io.delta.kernel.types.DataType t = v.getDataType();
        if (t instanceof io.delta.kernel.types.StringType) {
          row[c] = v.getString(r);
        } else if (t instanceof io.delta.kernel.types.LongType
            || t instanceof io.delta.kernel.types.TimestampType
            || t instanceof io.delta.kernel.types.TimestampNTZType) {
          row[c] = v.getLong(r);
        } else if (t instanceof io.delta.kernel.types.IntegerType) {
          row[c] = (long) v.getInt(r);
        } else {
          throw new IllegalArgumentException("a small-table read of type " + t);
        }
      }
      out.add(row);
    }
  }

  /** Kernel takes a qualified path: a local path gets the {@code file:} scheme. */
  static String qualified(String location) {
    return Lake.hasScheme(location) ? location : new java.io.File(location).toURI().toString();
  }
}
