package org.metalslake.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Finds input files, local or on object storage: every file under each path whose name matches one
 * of the patterns (file names may hold blanks, brackets, {@code %} or any letters: paths are kept
 * as Hadoop paths, never globbed). Hidden files ({@code .x}) and files whose name starts with
 * {@code _} are left out. Nothing is read here: {@link FileScan} reads the new files.
 */
public final class Landing {
  private final Configuration conf;
  private final List<PathMatcher> include = new ArrayList<>();

  public Landing(Configuration conf, List<String> patterns) {
    this.conf = conf;
    for (String p : patterns) {
      include.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
    }
  }

  /** A file found: where it is, its size and modification time. */
  public record Found(String path, String uri, String folder, long size, long modifiedAt) {}

  /** Every matching file under each path (a file or a folder, searched recursively), sorted. */
  public List<Found> scan(List<String> paths) {
    List<Found> out = new ArrayList<>();
    for (String p : paths) {
      try {
        Path path = new Path(p);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
          throw new IllegalArgumentException("input path does not exist: " + p);
        }
        FileStatus st = fs.getFileStatus(path);
        if (st.isFile()) {
          out.add(found(st));
          continue;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
        while (it.hasNext()) {
          FileStatus f = it.next();
          String name = f.getPath().getName();
          if (name.startsWith(".") || name.startsWith("_") || !included(name)) {
            continue;
          }
          out.add(found(f));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input path " + p + ": " + e.getMessage(), e);
      }
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  private boolean included(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return include.stream()
        .anyMatch(
            m -> m.matches(java.nio.file.Path.of(name)) || m.matches(java.nio.file.Path.of(lower)));
  }

  private static Found found(FileStatus st) {
    Path p = st.getPath();
    String folder = p.getParent() == null ? "" : p.getParent().getName();
    return new Found(
        p.toString(),
        p.toUri().toString(),
        folder.toLowerCase(Locale.ROOT),
        st.getLen(),
        st.getModificationTime());
  }
}
