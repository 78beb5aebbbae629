package org.metalslake.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metalslake.config.Settings;
import org.metalslake.report.Report;
import org.metalslake.storage.Lake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code report --to DIR}: a static HTML page of the gold tables, with charts. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write a static HTML page from the gold tables (import reliance beside USGS's figure,"
            + " China's ten metals' growth, top producers' shares, overcapacity) to DIR/index.html.")
final class ReportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Folder to write")
  Path to;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    Path out = Report.write(new Lake(Sessions.get(settings), settings), to);
    System.out.println("report written to " + out);
    return 0;
  }
}
