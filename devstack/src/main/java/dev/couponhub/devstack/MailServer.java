package dev.couponhub.devstack;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GreenMail standalone: an SMTP server that accepts mail for any recipient without authentication and keeps it in
 * memory, plus GreenMail's own HTTP API to read it.
 *
 * <p>The greenmail-standalone jar is a shaded jar carrying its own copies of slf4j 1.7, a log4j binding, Jackson,
 * Jersey and Jakarta Mail. It is therefore not on the class path: it is loaded from its file in a class loader of its
 * own (parent: the platform class loader), which shares only the slf4j API with the devstack so that GreenMail logs
 * through the devstack's logging. It runs inside this JVM, started through GreenMail's standalone runner.
 */
final class MailServer implements ManagedServer {

    private static final Logger log = LoggerFactory.getLogger(MailServer.class);
    private static final String RUNNER_CLASS = "com.icegreen.greenmail.standalone.GreenMailStandaloneRunner";
    /** Jersey logs through java.util.logging; keep a strong reference so the level sticks. */
    private static final java.util.logging.Logger JERSEY_LOGGER = java.util.logging.Logger.getLogger("org.glassfish");

    /** Share of the old generation, still full after a collection, at which the kept mail is purged. */
    static final double PURGE_AT_OLD_GENERATION_SHARE = 0.6;

    private final int smtpPort;
    private final int apiPort;
    private final URLClassLoader loader;
    private final Object runner;
    private final MemoryGuard guard;

    private MailServer(int smtpPort, int apiPort, URLClassLoader loader, Object runner) {
        this.smtpPort = smtpPort;
        this.apiPort = apiPort;
        this.loader = loader;
        this.runner = runner;
        this.guard = MemoryGuard.watch(PURGE_AT_OLD_GENERATION_SHARE, this::purge);
    }

    /**
     * Drops every kept message (GreenMail's {@code POST /api/mail/purge}). Called when the devstack's heap stays full:
     * GreenMail keeps all mail in memory, and a long benchmark (a mail per shopper every few minutes, for thousands of
     * shoppers) would otherwise fill the heap and end this JVM, SQS with it. Mail a test reads is read right after it
     * was sent, long before the heap is that full.
     */
    void purge() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + "/api/mail/purge"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            log.warn("The devstack's heap stays {}% full: purged the mail GreenMail kept (HTTP {})",
                    Math.round(PURGE_AT_OLD_GENERATION_SHARE * 100), response.statusCode());
        } catch (IOException e) {
            log.warn("Purging GreenMail's mail failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static MailServer start(Path greenMailJar, int smtpPort, int apiPort) {
        if (!Files.isRegularFile(greenMailJar)) {
            throw new DevstackException("GreenMail standalone jar not found at " + greenMailJar
                    + ". Build the devstack module (./mvnw -o -B -pl devstack package) or set -D"
                    + BuildSettings.GREENMAIL_JAR_PROPERTY + "=<path to greenmail-standalone.jar>");
        }
        JERSEY_LOGGER.setLevel(Level.SEVERE);
        URLClassLoader loader = new GreenMailClassLoader(toUrl(greenMailJar), MailServer.class.getClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // GreenMail and Jersey find their services through the context class loader; the threads they start here
        // inherit it
        thread.setContextClassLoader(loader);
        Object runner = null;
        try {
            Class<?> runnerClass = Class.forName(RUNNER_CLASS, true, loader);
            runner = runnerClass.getConstructor().newInstance();
            runnerClass.getMethod("doRun", Properties.class).invoke(runner, settings(smtpPort, apiPort));
            return new MailServer(smtpPort, apiPort, loader, runner);
        } catch (InvocationTargetException e) {
            stopQuietly(runner);
            closeQuietly(loader);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DevstackException("GreenMail failed to start (SMTP port " + smtpPort + ", API port " + apiPort
                    + "): " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            closeQuietly(loader);
            throw new DevstackException("GreenMail standalone at " + greenMailJar + " cannot be used: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    int smtpPort() {
        return smtpPort;
    }

    String apiUrl() {
        return "http://" + Ports.HOST + ":" + apiPort;
    }

    @Override
    public void stop() {
        guard.close();
        stopQuietly(runner);
        closeQuietly(loader);
    }

    private static Properties settings(int smtpPort, int apiPort) {
        Properties settings = new Properties();
        settings.setProperty("greenmail.smtp.hostname", Ports.HOST);
        settings.setProperty("greenmail.smtp.port", String.valueOf(smtpPort));
        settings.setProperty("greenmail.api.hostname", Ports.HOST);
        settings.setProperty("greenmail.api.port", String.valueOf(apiPort));
        // any recipient, no authentication; unknown mailboxes are created on delivery
        settings.setProperty("greenmail.auth.disabled", "true");
        settings.setProperty("greenmail.startup.timeout", "30000");
        return settings;
    }

    private static void stopQuietly(Object runner) {
        if (runner == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(runner.getClass().getClassLoader());
        try {
            Method stop = runner.getClass().getDeclaredMethod("stop");
            stop.setAccessible(true);
            stop.invoke(runner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Stopping GreenMail failed: {}", e.toString());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("Closing GreenMail's class loader failed", e);
        }
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar.toString(), e);
        }
    }

    /**
     * Loads everything from the GreenMail jar (and the JDK), except the slf4j API, which comes from the devstack's own
     * class loader. The jar's slf4j 1.7 binding ({@code org.slf4j.impl}) and JUL bridge stay private to it.
     */
    private static final class GreenMailClassLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final ClassLoader shared;

        GreenMailClassLoader(URL jar, ClassLoader shared) {
            super("greenmail", new URL[] {jar}, ClassLoader.getPlatformClassLoader());
            this.shared = shared;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.slf4j.") && !name.startsWith("org.slf4j.impl.")
                    && !name.startsWith("org.slf4j.bridge.")) {
                try {
                    return shared.loadClass(name);
                } catch (ClassNotFoundException ignored) {
                    // not in the shared API: fall back to the jar's own copy
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
