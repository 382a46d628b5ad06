package dev.couponhub.user.config;

/**
 * A setting the service cannot start without is missing or unusable. Reported at start-up by
 * {@link InvalidConfigurationFailureAnalyzer} as a short description and what to do, without a stack trace.
 * Messages never contain secret values.
 */
public class InvalidConfigurationException extends IllegalStateException {

    private final String action;

    public InvalidConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
