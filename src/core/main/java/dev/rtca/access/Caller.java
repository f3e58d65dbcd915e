package dev.rtca.access;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who calls, as API Gateway's IAM authorizer identified them.
 *
 * @param arn       the caller's ARN as authenticated (an assumed-role session's STS ARN, say): what messages name
 * @param principal the ARN policies are keyed by: an assumed-role session counts as its role
 *                  ({@code arn:aws:sts::123:assumed-role/Role/session} → {@code arn:aws:iam::123:role/Role})
 * @param account   the caller's account
 */
public record Caller(String arn, String principal, String account) {
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^arn:([^:]+):sts::(\\d{12}):assumed-role/([^/]+)/.+$");
    private static final Pattern IAM = Pattern.compile("^arn:[^:]+:iam::(\\d{12}):.+$");

    /** The caller of an authenticated request's {@code userArn}; an ARN that names no account is an anonymous caller. */
    public static Caller of(String userArn) {
        if (userArn == null || userArn.isBlank()) {
            return new Caller("anonymous", "anonymous", "");
        }
        Matcher role = ASSUMED_ROLE.matcher(userArn);
        if (role.matches()) {
            return new Caller(userArn, "arn:" + role.group(1) + ":iam::" + role.group(2) + ":role/" + role.group(3), role.group(2));
        }
        Matcher iam = IAM.matcher(userArn);
        return new Caller(userArn, userArn, iam.matches() ? iam.group(1) : "");
    }
}
