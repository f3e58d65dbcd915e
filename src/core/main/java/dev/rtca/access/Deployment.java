package dev.rtca.access;

import dev.rtca.segments.ContactKey;

/**
 * Where the API is deployed: the partition, region and account its contact ARNs name, and whose principals the
 * built-in default policy serves.
 */
public record Deployment(String partition, String region, String account) {

    /** The contact's ARN, as Amazon Connect names it in IAM: {@code arn:aws:connect:us-east-1:123:instance/I/contact/C}. */
    public String contactArn(ContactKey contact) {
        return "arn:" + partition + ":connect:" + region + ":" + account + ":instance/" + contact.instanceId()
                + "/contact/" + contact.contactId();
    }

    /** Safe by default: both list actions on the Redacted stream of any contact of this deployment; never Raw. */
    public Policy defaultPolicy() {
        return Policy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["%s","%s"],
                 "Resource":"arn:%s:connect:%s:%s:instance/*",
                 "Condition":{"StringEquals":{"%s":"Redacted"}}}]}"""
                .formatted(ListAuthorizer.V1_ACTION, ListAuthorizer.V2_ACTION, partition, region, account,
                        ListAuthorizer.OUTPUT_TYPE_KEY));
    }
}
