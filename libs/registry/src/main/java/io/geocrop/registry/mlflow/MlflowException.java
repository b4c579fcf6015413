package io.geocrop.registry.mlflow;

import io.geocrop.registry.RegistryException;

/**
 * MLflow answered an error, or could not be reached. {@link #errorCode()} is MLflow's {@code error_code}
 * ({@code RESOURCE_ALREADY_EXISTS}, {@code RESOURCE_DOES_NOT_EXIST}, {@code INVALID_PARAMETER_VALUE}, ...) when
 * the server sent one. The message names the method and path, never headers or credentials.
 */
public class MlflowException extends RegistryException {

    /** MLflow's code for a create of something that exists (recording 24). */
    public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";
    /** MLflow's code for a missing experiment, run, registered model or version. */
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    /** MLflow's code for a bad parameter; 2.10 also answers a missing alias with it (recording 23). */
    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";

    private final int status;
    private final String errorCode;

    /**
     * @param status    the HTTP status, 0 when there was no answer
     * @param errorCode MLflow's error code, or {@code null}
     * @param message   what happened
     * @param cause     the underlying failure, or {@code null}
     */
    public MlflowException(int status, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    /** MLflow's {@code error_code}, or {@code null}. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether MLflow answered with this error code. */
    public boolean is(String code) {
        return code.equals(errorCode);
    }
}
