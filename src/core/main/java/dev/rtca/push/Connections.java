package dev.rtca.push;

/** Sends frames to WebSocket connections (API Gateway's management API when deployed). */
public interface Connections {

    /** Sends one frame; false when the connection is gone (it will never take a frame again). */
    boolean post(String connectionId, byte[] frame);
}
