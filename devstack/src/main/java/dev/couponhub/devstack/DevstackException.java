package dev.couponhub.devstack;

/**
 * A devstack could not start or run, for a reason stated in plain words in the message (a port in use, the
 * data directory locked by another devstack, a server that failed to come up).
 */
public class DevstackException extends RuntimeException {

    public DevstackException(String message) {
        super(message);
    }

    public DevstackException(String message, Throwable cause) {
        super(message, cause);
    }
}
