package dev.rtca.segments;

import java.util.List;
import java.util.Optional;

/**
 * Where the NextToken keys come from. Tokens are sealed with the current key and opened with the key their ID names,
 * the current or the previous one, so a rotation never breaks a client that is paging.
 */
public interface TokenKeys {

    /** The key new tokens are sealed with. */
    TokenKey current();

    /**
     * The current or previous key with this ID. An implementation whose keys may have changed elsewhere looks again
     * (at a bounded rate: any caller can send a token with any ID) before it answers empty.
     */
    Optional<TokenKey> withId(int id);

    /** Fixed keys: the first is current, the rest are previous ones. */
    static TokenKeys of(TokenKey current, TokenKey... previous) {
        List<TokenKey> all = new java.util.ArrayList<>(List.of(previous));
        all.add(0, current);
        List<TokenKey> keys = List.copyOf(all);
        return new TokenKeys() {
            @Override
            public TokenKey current() {
                return current;
            }

            @Override
            public Optional<TokenKey> withId(int id) {
                return keys.stream().filter(k -> k.id() == id).findFirst();
            }
        };
    }
}
