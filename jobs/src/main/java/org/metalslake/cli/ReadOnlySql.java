package org.metalslake.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.plans.logical.AlterTableCommand;
import org.apache.spark.sql.catalyst.plans.logical.CacheTable;
import org.apache.spark.sql.catalyst.plans.logical.CacheTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeNamespace;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.ExecutableDuringAnalysis;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowCreateTable;
import org.apache.spark.sql.catalyst.plans.logical.ShowFunctions;
import org.apache.spark.sql.catalyst.plans.logical.ShowPartitions;
import org.apache.spark.sql.catalyst.plans.logical.ShowTablePartition;
import org.apache.spark.sql.catalyst.plans.logical.ShowTableProperties;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.ShowTablesExtended;
import org.apache.spark.sql.catalyst.plans.logical.ShowViews;
import org.apache.spark.sql.catalyst.plans.logical.UncacheTable;
import org.apache.spark.sql.delta.commands.DeltaCommand;
import org.apache.spark.sql.delta.commands.DescribeDeltaDetailCommand;
import org.apache.spark.sql.delta.commands.DescribeDeltaHistory;
import org.apache.spark.sql.execution.command.ClearCacheCommand$;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.command.ShowCatalogsCommand;
import org.apache.spark.sql.execution.command.ShowCurrentNamespaceCommand;
import org.apache.spark.sql.execution.command.ShowNamespacesCommand;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Whether a SQL statement only reads, decided on the session's own parse of it (Delta's statements
 * included), not on its words: a comment or a string holding {@code DROP} changes nothing, and a
 * {@code WITH … INSERT} is an insert. A query (no command in its plan) passes, and so do the
 * read-only commands listed here: SHOW …, DESCRIBE … (Delta's DESCRIBE HISTORY and DETAIL too),
 * EXPLAIN of a statement that passes, and CACHE / UNCACHE / CLEAR CACHE, which hold data in this
 * process's memory only. Every other command is refused (DML, DDL, Delta's RESTORE, VACUUM,
 * OPTIMIZE, CLONE, and session commands such as SET and USE), so a statement a later Spark or Delta
 * adds is refused until it is listed. EXPLAIN of a refused statement is refused as well: Spark does
 * not run what it explains, but whether planning a command touches nothing is each command's
 * business, and {@code --allow-writes} explains it without running it.
 */
final class ReadOnlySql {
  private ReadOnlySql() {}

  private static final Set<Class<?>> READ_ONLY_COMMANDS =
      Set.of(
          ShowTables.class,
          ShowTablesExtended.class,
          ShowTablePartition.class,
          ShowViews.class,
          ShowNamespacesCommand.class,
          ShowCatalogsCommand.class,
          ShowCurrentNamespaceCommand.class,
          ShowColumns.class,
          ShowTableProperties.class,
          ShowCreateTable.class,
          ShowPartitions.class,
          ShowFunctions.class,
          DescribeRelation.class,
          DescribeColumn.class,
          DescribeNamespace.class,
          DescribeFunction.class,
          DescribeQueryCommand.class,
          DescribeDeltaDetailCommand.class,
          DescribeDeltaHistory.class,
          ExplainCommand.class,
          CacheTable.class,
          CacheTableAsSelect.class,
          UncacheTable.class,
          ClearCacheCommand$.class);

  /** Commands that change this process's session only: refused, but not said to change the lake. */
  private static final Set<String> SESSION_ONLY =
      Set.of(
          "SetCommand",
          "ResetCommand",
          "SetCatalogAndNamespace",
          "CreateViewCommand",
          "CreateVariable",
          "SetVariable",
          "DropVariable",
          "AddJarsCommand",
          "AddFilesCommand",
          "AddArchivesCommand",
          "CreateFunction",
          "CreateFunctionCommand",
          "CreateUserDefinedFunction");

  /** Statement kinds as SQL spells them, by plan node; others are named from the node. */
  private static final Map<String, String> KINDS =
      Map.ofEntries(
          Map.entry("DeleteFromTable", "DELETE"),
          Map.entry("UpdateTable", "UPDATE"),
          Map.entry("MergeIntoTable", "MERGE"),
          Map.entry("CreateTable", "CREATE TABLE"),
          Map.entry("CreateTableAsSelect", "CREATE TABLE AS SELECT"),
          Map.entry("CreateTableLike", "CREATE TABLE LIKE"),
          Map.entry("ReplaceTable", "REPLACE TABLE"),
          Map.entry("ReplaceTableAsSelect", "REPLACE TABLE AS SELECT"),
          Map.entry("DropTable", "DROP TABLE"),
          Map.entry("CreateView", "CREATE VIEW"),
          Map.entry("CreateViewCommand", "CREATE TEMPORARY VIEW"),
          Map.entry("AlterViewAs", "ALTER VIEW"),
          Map.entry("DropView", "DROP VIEW"),
          Map.entry("TruncateTable", "TRUNCATE TABLE"),
          Map.entry("TruncatePartition", "TRUNCATE TABLE"),
          Map.entry("SetTableProperties", "ALTER TABLE SET TBLPROPERTIES"),
          Map.entry("UnsetTableProperties", "ALTER TABLE UNSET TBLPROPERTIES"),
          Map.entry("RenameTable", "ALTER TABLE RENAME"),
          Map.entry("RestoreTableStatement", "RESTORE"),
          Map.entry("VacuumTableCommand", "VACUUM"),
          Map.entry("OptimizeTableCommand", "OPTIMIZE"),
          Map.entry("CloneTableStatement", "CLONE"),
          Map.entry("ConvertToDeltaCommand", "CONVERT TO DELTA"),
          Map.entry("DeltaReorgTable", "REORG TABLE"),
          Map.entry("DeltaGenerateCommand", "GENERATE"),
          Map.entry("CreateNamespace", "CREATE DATABASE"),
          Map.entry("DropNamespace", "DROP DATABASE"),
          Map.entry("RepairTable", "MSCK REPAIR TABLE"),
          Map.entry("CompoundBody", "a SQL script (BEGIN … END)"),
          Map.entry("SetCommand", "SET"),
          Map.entry("ResetCommand", "RESET"),
          Map.entry("SetCatalogAndNamespace", "USE"),
          Map.entry("CreateVariable", "DECLARE VARIABLE"),
          Map.entry("SetVariable", "SET VARIABLE"),
          Map.entry("DropVariable", "DROP VARIABLE"),
          Map.entry("Call", "CALL"));

  /**
   * Why a statement is refused: its kind ({@code DELETE}), whether it is said to change the lake
   * (or only not to be read-only, as SET), and whether it was under EXPLAIN.
   */
  record Refusal(String kind, boolean lake, boolean explained) {
    /** The one line the sql command prints. */
    String message() {
      String what = lake ? "changes the lake" : "is not read-only";
      return explained
          ? "refused: EXPLAIN "
              + kind
              + " explains a statement that "
              + what
              + "; add --allow-writes to explain it (it does not run it)"
          : "refused: " + kind + " " + what + "; add --allow-writes to run it";
    }
  }

  /**
   * The refusal of a parsed statement ({@code sqlParser().parsePlan}); empty when it only reads.
   */
  static Optional<Refusal> check(LogicalPlan plan) {
    List<LogicalPlan> pending = new ArrayList<>(List.of(plan));
    while (!pending.isEmpty()) {
      LogicalPlan node = pending.remove(pending.size() - 1);
      if (node instanceof ExplainCommand explain) {
        Optional<Refusal> inner = check(explain.logicalPlan());
        if (inner.isPresent()) {
          return Optional.of(new Refusal(inner.get().kind(), inner.get().lake(), true));
        }
      } else if (node instanceof DescribeQueryCommand describe) {
        Optional<Refusal> inner = check(describe.plan());
        if (inner.isPresent()) {
          return inner;
        }
      } else if (!READ_ONLY_COMMANDS.contains(node.getClass()) && writes(node)) {
        return Optional.of(new Refusal(kind(node), !SESSION_ONLY.contains(node.nodeName()), false));
      }
      pending.addAll(CollectionConverters.asJava(node.children()));
      // Subqueries in expressions, the definitions of a WITH: not children of the node.
      for (Object inner : CollectionConverters.asJava(node.innerChildren())) {
        if (inner instanceof LogicalPlan p) {
          pending.add(p);
        }
      }
      pending.addAll(CollectionConverters.asJava(node.subqueries()));
    }
    return Optional.empty();
  }

  /**
   * Whether a node is (or may be) a statement that does something: every command, and the parsed
   * forms that become one in analysis (INSERT, Delta's RESTORE and CLONE, CALL).
   */
  private static boolean writes(LogicalPlan node) {
    return node instanceof Command
        || node instanceof ParsedStatement
        || node instanceof ExecutableDuringAnalysis
        || node instanceof DeltaCommand
        || node.nodeName().endsWith("Statement");
  }

  private static String kind(LogicalPlan node) {
    if (node instanceof InsertIntoStatement insert) {
      return insert.overwrite() ? "INSERT OVERWRITE" : "INSERT";
    }
    String known = KINDS.get(node.nodeName());
    if (known != null) {
      return known;
    }
    if (node instanceof AlterTableCommand) {
      return "ALTER TABLE";
    }
    // AnalyzeTable → ANALYZE TABLE, RefreshTable → REFRESH TABLE.
    return node.nodeName()
        .replaceAll("(Command|Statement)$", "")
        .replaceAll("([a-z])([A-Z])", "$1 $2")
        .toUpperCase(Locale.ROOT);
  }
}
