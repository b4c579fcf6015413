package io.geocrop.submit;

import io.geocrop.platform.security.UnsafeConfigurationException;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Runs submit-job alone, as its Knative Service does; configured by environment only. */
@OpenAPIDefinition(info = @Info(title = "GeoCrop API", version = "1",
        description = "Submit crop-mapping jobs for an area of Zimbabwe and follow them."))
public final class SubmitJobApplication {
    private SubmitJobApplication() {}

    public static void main(String[] args) {
        UnsafeConfigurationException.exitQuietly(Micronaut.build(args).mainClass(SubmitJobApplication.class).banner(false)).start();
    }
}
