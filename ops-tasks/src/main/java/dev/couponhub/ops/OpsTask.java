package dev.couponhub.ops;

/** One command of ops-tasks. */
public interface OpsTask {

    /** The command that runs it: the first program argument. */
    String command();

    /**
     * Does the work, logging what it did (never a secret value).
     *
     * @throws InvalidConfigurationException when the configuration is wrong; thrown before the task changes anything
     * @throws Exception                     when the task failed; its message is logged, so it must hold no secret
     */
    void run() throws Exception;
}
