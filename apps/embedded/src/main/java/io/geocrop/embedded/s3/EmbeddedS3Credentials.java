package io.geocrop.embedded.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The key pair of the embedded S3 endpoint: the configured one, or one generated at random for this GeoCrop home and
 * kept in {@code <home>/s3-credentials.properties} (owner-only), so clients configured once keep working after a
 * restart and no secret ever lives in the repository.
 *
 * @param accessKey the access key id
 * @param secretKey the secret access key
 * @param generated whether they were generated (and may be printed) rather than configured
 * @param file      where generated ones are kept, or null
 */
public record EmbeddedS3Credentials(String accessKey, String secretKey, boolean generated, Path file) {
    static final String FILE_NAME = "s3-credentials.properties";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** Keys redacted: a record's toString would otherwise print the secret into logs. */
    @Override
    public String toString() {
        return "EmbeddedS3Credentials[accessKey=" + accessKey + ", generated=" + generated + "]";
    }

    /**
     * The configured keys when both are set; otherwise the home's generated pair, created on first use.
     *
     * @throws IllegalStateException when only one of the two is configured
     */
    public static EmbeddedS3Credentials resolve(String accessKey, String secretKey, Path home) {
        boolean hasAccess = accessKey != null && !accessKey.isBlank();
        boolean hasSecret = secretKey != null && !secretKey.isBlank();
        if (hasAccess && hasSecret) {
            return new EmbeddedS3Credentials(accessKey, secretKey, false, null);
        }
        if (hasAccess || hasSecret) {
            throw new IllegalStateException("set both GEOCROP_EMBEDDED_S3_ACCESS_KEY and GEOCROP_EMBEDDED_S3_SECRET_KEY,"
                    + " or neither (then a pair is generated for this GeoCrop home)");
        }
        Path file = home.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                Properties stored = new Properties();
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    stored.load(in);
                }
                String access = stored.getProperty("access-key");
                String secret = stored.getProperty("secret-key");
                if (access != null && !access.isBlank() && secret != null && !secret.isBlank()) {
                    return new EmbeddedS3Credentials(access, secret, true, file);
                }
            }
            SecureRandom random = new SecureRandom();
            String access = "GEOCROP" + random(random, ALPHABET, 13);
            String secret = random(random, SECRET_ALPHABET, 40);
            Files.createDirectories(home);
            Path temp = Files.createTempFile(home, ".s3-credentials", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX filesystem: the home directory's own protection applies
                }
                Files.writeString(temp, "# The embedded S3 endpoint's keys for this GeoCrop home (generated).\n"
                        + "access-key=" + access + "\nsecret-key=" + secret + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new EmbeddedS3Credentials(access, secret, true, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the embedded S3 credentials in " + file + ": " + e, e);
        }
    }

    private static String random(SecureRandom random, char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
