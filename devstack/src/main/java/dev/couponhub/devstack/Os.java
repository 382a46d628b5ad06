package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The few operating-system facts and file operations the devstack needs (Linux). */
final class Os {

    private Os() {
    }

    /** True when this JVM runs as uid 0. */
    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Gives a whole tree to {@code uid:gid} (root only), without following links. */
    static void chownTree(Path root, int uid, int gid) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot change the owner of " + root, e);
        }
    }

    /**
     * Adds "others may traverse" to {@code path} and each of its parents that lacks it, so that an unprivileged
     * user can reach it. Returns the directories changed.
     */
    static List<Path> makeTraversable(Path path) {
        List<Path> changed = new ArrayList<>();
        for (Path dir = path.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            try {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, permissions);
                    changed.add(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make " + dir + " traversable", e);
            }
        }
        return changed;
    }

    /** Deletes everything inside {@code dir} except the entries named in {@code keep}. */
    static void deleteContents(Path dir, Set<String> keep) {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (!keep.contains(child.getFileName().toString())) {
                    deleteTree(child);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot wipe " + dir, e);
        }
    }

    /** Deletes a file or a directory tree; missing is fine. Links are deleted, not followed. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }

    /**
     * Asks a process and all its descendants to terminate (SIGTERM), waits up to {@code graceMillis}, then kills
     * whatever is left (SIGKILL) and waits again. The descendants are collected first, because they are no longer
     * descendants once their parent is gone.
     *
     * @return true when every process is gone
     */
    static boolean destroyTree(ProcessHandle root, long graceMillis) {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(root);
        root.descendants().forEach(processes::add);
        processes.forEach(ProcessHandle::destroy);
        waitForExit(processes, graceMillis);
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        waitForExit(processes, 10_000);
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void waitForExit(List<ProcessHandle> processes, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle process : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // timed out or could not wait: the caller checks isAlive()
            }
        }
    }
}
