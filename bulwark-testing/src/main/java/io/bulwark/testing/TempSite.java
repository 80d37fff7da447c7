package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * A temporary folder of files for static-origin tests, deleted by {@link #close()}. Paths are
 * relative to the root and use '/'; parent folders are created as needed.
 */
public final class TempSite implements AutoCloseable {
  private final Path root;

  private TempSite(Path root) {
    this.root = root;
  }

  public static TempSite create() {
    try {
      return new TempSite(Files.createTempDirectory("bulwark-site-").toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder (its real path, symlinks resolved). */
  public Path root() {
    return root;
  }

  /** The absolute path of a file in the site. */
  public Path path(String relative) {
    return root.resolve(relative);
  }

  public TempSite file(String relative, String utf8Content) {
    return file(relative, utf8Content.getBytes(StandardCharsets.UTF_8));
  }

  public TempSite file(String relative, byte[] content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TempSite directory(String relative) {
    try {
      Files.createDirectories(root.resolve(relative));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a symbolic link at {@code relative} pointing to {@code target} (absolute or not). */
  public TempSite symlink(String relative, Path target) {
    try {
      Path link = root.resolve(relative);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, target);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets a file's modification time, for Last-Modified tests. */
  public TempSite modified(String relative, Instant time) {
    try {
      Files.setLastModifiedTime(root.resolve(relative), FileTime.from(time));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the folder and everything in it (links are deleted, not followed). */
  @Override
  public void close() {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
