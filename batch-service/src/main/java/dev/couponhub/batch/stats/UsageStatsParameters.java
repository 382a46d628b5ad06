package dev.couponhub.batch.stats;

import java.time.LocalDate;

import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.JobParametersInvalidException;
import org.springframework.batch.core.JobParametersValidator;

/**
 * The parameters of job {@code coupon-usage-stats}: the days {@code from}..{@code to} and a {@code trigger} naming
 * why it runs ({@code today@<slot>}, {@code yesterday@<date>}, {@code manual@<id>}). All three identify the job
 * instance: two instances of batch-service launching the same scheduled slot share one instance, so only one of
 * them runs it, while each manual request is a run of its own.
 */
final class UsageStatsParameters {

    static final String FROM = "from";
    static final String TO = "to";
    static final String TRIGGER = "trigger";

    private UsageStatsParameters() {
    }

    static JobParameters of(LocalDate from, LocalDate to, String trigger) {
        return new JobParametersBuilder()
                .addLocalDate(FROM, from)
                .addLocalDate(TO, to)
                .addString(TRIGGER, trigger)
                .toJobParameters();
    }

    /** Refuses a run without a range, or with {@code to} before {@code from}. */
    static final class Validator implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws JobParametersInvalidException {
            LocalDate from = parameters == null ? null : parameters.getLocalDate(FROM);
            LocalDate to = parameters == null ? null : parameters.getLocalDate(TO);
            if (from == null || to == null || to.isBefore(from)) {
                throw new JobParametersInvalidException("coupon-usage-stats needs dates from <= to");
            }
        }
    }
}
