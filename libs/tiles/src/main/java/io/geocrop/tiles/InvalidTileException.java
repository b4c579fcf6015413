package io.geocrop.tiles;

/** A tile address or size that does not exist; {@link #field()} names the part at fault ({@code z}, {@code x}, ...). */
public final class InvalidTileException extends IllegalArgumentException {
    private final String field;

    public InvalidTileException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field at fault. */
    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
