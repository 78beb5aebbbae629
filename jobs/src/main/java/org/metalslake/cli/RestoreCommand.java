package org.metalslake.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.metalslake.config.Settings;
import org.metalslake.pipeline.Restore;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;
import org.metalslake.storage.TimeTravel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code restore <table> --to VERSION|TIMESTAMP}: roll a table back (Delta RESTORE). */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description =
        "Roll a table back to an earlier version or time (Delta RESTORE: one new commit, the"
            + " history kept); `history <table>` lists the versions. Logged in ops.runs.")
final class RestoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "TABLE", description = "layer.table")
  String table;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "VERSION|TIMESTAMP",
      description =
          "A version (3) or a timestamp (2026-12-01 10:00:00: the last version committed by then)")
  String to;

  @Override
  public Integer call() {
    TableId id;
    try {
      id = TableId.parse(table);
      TimeTravel.check("--to", to);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Settings settings = common.settings();
    Lake lake = new Lake(Sessions.lazy(settings), settings);
    if (!lake.exists(id)) {
      throw usage("no table " + id + " under " + lake.root());
    }
    long version;
    try {
      version = lake.timeTravel().version(id, to);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage() + "; `metals-lake history " + id + "` lists them");
    }
    Restore.Result r = Restore.run(lake, id, version, "restore " + id + " --to " + to.trim());
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s: %,d rows, now version %d (run %s)",
            r.message(),
            r.rows(),
            r.now(),
            r.runId()));
    return 0;
  }

  private ParameterException usage(String message) {
    return new ParameterException(new picocli.CommandLine(this), message);
  }
}
