package org.metalslake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress;
import org.metalslake.ops.RejectedFile;
import org.metalslake.pipeline.Pipeline;

/**
 * {@code run --report FILE}: the run as JSON, for a scheduler that cannot trust the exit code
 * spark-submit passes on: its id, status and exit code, per file the records in, to silver,
 * quarantined and skipped, per table the rows in and out, the rejected files with their reasons,
 * and the seconds. Written also when the run fails (with what it did so far), and atomically (a
 * temporary file moved into place), so a reader never sees half a report.
 */
final class RunReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunReport() {}

  static ObjectNode of(Pipeline.Result r, String job, String lake, int exitCode) {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", r.runId());
    root.put("job", job);
    root.put("lake", lake);
    root.put("status", r.status());
    root.put("exit_code", exitCode);
    root.put("message", r.message());
    root.put("seconds", Math.round(r.seconds() * 10) / 10.0);
    long records = 0;
    long toSilver = 0;
    long quarantined = 0;
    long skipped = 0;
    ArrayNode files = root.putArray("files");
    for (FileCount f : r.files()) {
      ObjectNode n = files.addObject();
      n.put("file", f.file());
      n.put("format", f.format());
      n.put("records", f.records());
      n.put("to_silver", f.toSilver());
      n.put("quarantined", f.quarantined());
      n.put("skipped", f.skipped());
      n.put("facts", f.facts());
      records += f.records();
      toSilver += f.toSilver();
      quarantined += f.quarantined();
      skipped += f.skipped();
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("files", r.files().size());
    totals.put("records", records);
    totals.put("to_silver", toSilver);
    totals.put("quarantined", quarantined);
    totals.put("skipped", skipped);
    totals.put("rejected_files", r.rejected().size());
    ArrayNode tables = root.putArray("tables");
    for (Progress.TableCount t : r.tables()) {
      ObjectNode n = tables.addObject();
      n.put("table", t.table());
      n.put("rows_in", t.rowsIn());
      n.put("rows_out", t.rowsOut());
      n.put("rows_quarantined", t.rowsQuarantined());
      n.put("seconds", Math.round(t.seconds() * 10) / 10.0);
    }
    ArrayNode rejected = root.putArray("rejected");
    for (RejectedFile f : r.rejected()) {
      ObjectNode n = rejected.addObject();
      n.put("path", f.path());
      n.put("reason", f.reason());
    }
    return root;
  }

  static void write(ObjectNode report, Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run report " + file, e);
    }
  }
}
