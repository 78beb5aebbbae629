package org.metalslake.storage;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.internal.data.DefaultRowBasedColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A few rows appended to an existing bookkeeping table ({@code ops.runs}, {@code
 * ops.rejected_files}) in this process, through Delta Kernel: one Parquet file and one commit, no
 * Spark job. A run that finds nothing new ends with such an append; through Spark it would be the
 * run's first job and cost seconds.
 */
final class LogAppends {
  private final LogReads log;

  LogAppends(LogReads log) {
    this.log = log;
  }

  /**
   * Appends the rows (of the Spark schema given) to the table at the location in one commit.
   * Returns false, having written nothing, when there is no table there yet or the rows bring a
   * column the table does not have: the caller then writes them through Spark (which creates the
   * table, or adds the column).
   */
  boolean append(
      String location,
      org.apache.spark.sql.types.StructType schema,
      List<org.apache.spark.sql.Row> rows) {
    Optional<Snapshot> found = log.snapshot(location);
    if (found.isEmpty()) {
      return false;
    }
    Snapshot snapshot = found.get();
    StructType table = snapshot.getSchema();
    for (String name : schema.fieldNames()) {
      if (table.indexOf(name) < 0) {
        return false;
      }
    }
    List<io.delta.kernel.data.Row> values = new ArrayList<>();
    for (org.apache.spark.sql.Row r : rows) {
      values.add(row(table, schema, r));
    }
    Engine e = log.engine();
    Transaction txn = snapshot.buildUpdateTableTransaction("metals-lake", Operation.WRITE).build(e);
    io.delta.kernel.data.Row state = txn.getTransactionState(e);
    List<io.delta.kernel.data.Row> actions = new ArrayList<>();
    try {
      CloseableIterator<FilteredColumnarBatch> data =
          io.delta.kernel.internal.util.Utils.singletonCloseableIterator(
              new FilteredColumnarBatch(
                  new DefaultRowBasedColumnarBatch(table, values), Optional.empty()));
      CloseableIterator<FilteredColumnarBatch> physical =
          Transaction.transformLogicalData(e, state, data, Map.of());
      DataWriteContext context = Transaction.getWriteContext(e, state, Map.of());
      CloseableIterator<DataFileStatus> files =
          e.getParquetHandler()
              .writeParquetFiles(
                  context.getTargetDirectory(), physical, context.getStatisticsColumns());
      Transaction.generateAppendActions(e, state, files, context).forEachRemaining(actions::add);
    } catch (IOException | RuntimeException x) {
      // Nothing committed (at most an unreferenced data file, which VACUUM removes): the caller
      // writes the rows through Spark instead.
      return false;
    }
    TransactionCommitResult result =
        txn.commit(
            e,
            CloseableIterable.inMemoryIterable(
                io.delta.kernel.internal.util.Utils.toCloseableIterator(actions.iterator())));
    // Keep the log short for every reader: a checkpoint when one is due (every 10 commits). The
    // rows are committed already; a checkpoint that fails is written by a later commit.
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT) {
        try {
          hook.threadSafeInvoke(e);
        } catch (IOException | RuntimeException ignored) {
          // see above
        }
      }
    }
    return true;
  }

  /** A Spark row as a Kernel row of the table's schema (columns it does not carry are null). */
  private static io.delta.kernel.data.Row row(
      StructType table, org.apache.spark.sql.types.StructType schema, org.apache.spark.sql.Row r) {
    Map<Integer, Object> values = new HashMap<>();
    for (int i = 0; i < table.length(); i++) {
      StructField f = table.at(i);
      int j = List.of(schema.fieldNames()).indexOf(f.getName());
      if (j >= 0 && !r.isNullAt(j)) {
        values.put(i, value(f.getDataType(), schema.fields()[j].dataType(), r.get(j)));
      }
    }
    return new Values(table, values);
  }

  private static Object value(DataType type, org.apache.spark.sql.types.DataType spark, Object v) {
    if (v == null) {
      return null;
    }
    if (type instanceof StringType
        || type instanceof LongType
        || type instanceof IntegerType
        || type instanceof DoubleType
        || type instanceof BooleanType) {
      return v;
    }
    if (type instanceof TimestampType) {
      Timestamp t = (Timestamp) v;
      // microseconds since the epoch, Delta's unit
      return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }
    if (type instanceof StructType struct) {
      return row(
          struct, (org.apache.spark.sql.types.StructType) spark, (org.apache.spark.sql.Row) v);
    }
    if (type instanceof ArrayType array) {
      org.apache.spark.sql.types.DataType element =
          ((org.apache.spark.sql.types.ArrayType) spark).elementType();
      List<Object> elements = new ArrayList<>();
      for (Object x : items(v)) {
        elements.add(value(array.getElementType(), element, x));
      }
      ColumnVector vector = DefaultGenericVector.fromList(array.getElementType(), elements);
      return new ArrayValue() {
        @Override
        public int getSize() {
          return elements.size();
        }

        @Override
        public ColumnVector getElements() {
          return vector;
        }
      };
    }
    throw new IllegalArgumentException("a small append of type " + type);
  }

  private static List<?> items(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s);
    }
    throw new IllegalArgumentException("an array value of " + v.getClass().getName());
  }

  /**
   * A row of values by ordinal. (Kernel's own generic row refuses to hand a timestamp out as the
   * long its Parquet writer asks for.)
   */
  private record Values(StructType schema, Map<Integer, Object> values)
      implements io.delta.kernel.data.Row {
    @Override
    public StructType getSchema() {
      return schema;
    }

    @Override
    public boolean isNullAt(int i) {
      return values.get(i) == null;
    }

    @Override
    public boolean getBoolean(int i) {
      return (Boolean) values.get(i);
    }

    @Override
    public byte getByte(int i) {
      return ((Number) values.get(i)).byteValue();
    }

    @Override
    public short getShort(int i) {
      return ((Number) values.get(i)).shortValue();
    }

    @Override
    public int getInt(int i) {
      return ((Number) values.get(i)).intValue();
    }

    @Override
    public long getLong(int i) {
      return ((Number) values.get(i)).longValue();
    }

    @Override
    public float getFloat(int i) {
      return ((Number) values.get(i)).floatValue();
    }

    @Override
    public double getDouble(int i) {
      return ((Number) values.get(i)).doubleValue();
    }

    @Override
    public String getString(int i) {
      return (String) values.get(i);
    }

    @Override
    public java.math.BigDecimal getDecimal(int i) {
      return (java.math.BigDecimal) values.get(i);
    }

    @Override
    public byte[] getBinary(int i) {
      return (byte[]) values.get(i);
    }

    @Override
    public io.delta.kernel.data.Row getStruct(int i) {
      return (io.delta.kernel.data.Row) values.get(i);
    }

    @Override
    public ArrayValue getArray(int i) {
      return (ArrayValue) values.get(i);
    }

    @Override
    public io.delta.kernel.data.MapValue getMap(int i) {
      return (io.delta.kernel.data.MapValue) values.get(i);
    }
  }
}
