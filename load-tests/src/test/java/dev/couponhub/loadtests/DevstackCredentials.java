package dev.couponhub.loadtests;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The devstack's generated database passwords ({@code .devstack/data/credentials.properties}), for the set-ups. */
final class DevstackCredentials {

    private DevstackCredentials() {
    }

    /** The password of database user {@code user}; fails when the file has none. */
    static String password(Path credentialsFile, String user) throws IOException {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(credentialsFile)) {
            credentials.load(reader);
        }
        String password = credentials.getProperty(user);
        if (password == null) {
            throw new IllegalStateException("no " + user + " entry in " + credentialsFile);
        }
        return password;
    }
}
