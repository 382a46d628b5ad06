package dev.couponhub.ops;

/** The task's configuration is wrong (a missing property, an identifier that is not allowed): nothing was changed. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
