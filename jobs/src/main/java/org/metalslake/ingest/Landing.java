package org.metalslake.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Finds input files (local or object storage), fingerprints them and reads their headers. */
public final class Landing {
  private final Configuration conf;
  private final List<PathMatcher> include = new ArrayList<>();

  public Landing(Configuration conf, List<String> patterns) {
    this.conf = conf;
    for (String p : patterns) {
      include.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
    }
  }

  /** Every matching file under each path (a file or a folder, searched recursively), sorted. */
  public List<LandedFile> scan(List<String> paths) {
    List<LandedFile> out = new ArrayList<>();
    for (String p : paths) {
      try {
        Path path = new Path(p);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
          throw new IllegalArgumentException("input path does not exist: " + p);
        }
        FileStatus st = fs.getFileStatus(path);
        if (st.isFile()) {
          out.add(describe(fs, st, path.getParent().getName()));
          continue;
        }
        RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(path, true);
        while (it.hasNext()) {
          FileStatus f = it.next();
          String name = f.getPath().getName();
          if (name.startsWith(".") || name.startsWith("_") || !included(name)) {
            continue;
          }
          out.add(describe(fs, f, f.getPath().getParent().getName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input path " + p + ": " + e.getMessage(), e);
      }
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  private boolean included(String name) {
    java.nio.file.Path n = java.nio.file.Path.of(name);
    return include.stream().anyMatch(m -> m.matches(n));
  }

  private LandedFile describe(FileSystem fs, FileStatus st, String folder) throws IOException {
    return new LandedFile(
        st.getPath().toString(),
        folder.toLowerCase(Locale.ROOT),
        st.getLen(),
        st.getModificationTime(),
        sha256(fs, st.getPath()),
        null);
  }

  private static String sha256(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      try (DigestInputStream din = new DigestInputStream(in, md)) {
        while (din.read(buf) != -1) {
          // reading feeds the digest
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header line split into column names (BOM removed, gzip decompressed). */
  public List<String> header(LandedFile file) {
    Path p = new Path(file.path());
    try {
      FileSystem fs = p.getFileSystem(conf);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
      try (InputStream raw = fs.open(p);
          InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader r =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line = r.readLine();
        while (line != null && line.isBlank()) {
          line = r.readLine();
        }
        if (line == null) {
          throw new IllegalArgumentException("file " + file.path() + " is empty: no header");
        }
        return Csv.split(Csv.stripBom(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.path() + ": " + e.getMessage(), e);
    }
  }
}
