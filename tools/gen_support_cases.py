#!/usr/bin/env python3
"""Generates tests/data/support_cases.json: scripted multi-turn conversations and
the replies of the seed's own support bot (Topic 10.2), run by CPython.

The seed's functions are copied verbatim below, with st.session_state replaced by
a dict. tests/support_vs_seed.rs replays each conversation through chatdeck and
requires every difference to be one of the deliberate improvements.

Usage: python3 tools/gen_support_cases.py [OUTPUT]
"""

import json
import random
import re
import sys

session_state = {}


def detect_intent(msg):
    msg = msg.lower()
    if any(x in msg for x in ["order", "status", "track"]): return "order_status"
    if any(x in msg for x in ["refund", "return", "money"]): return "refund_policy"
    if any(x in msg for x in ["shipping", "delivery", "time"]): return "shipping_info"
    return "general"


def valid_order_id(order_id):
    return bool(re.match(r"^[A-Za-z0-9]{6,10}$", order_id))


def bot_reply(user_msg):
    state = session_state["dialog_state"]
    if state["waiting_for"] == "order_id":
        if valid_order_id(user_msg):
            session_state["dialog_state"] = {"waiting_for": None, "intent": None}
            return f"✅ Order {user_msg} found. Status: Shipped - Delivery tomorrow."
        return "❌ Invalid order ID. Please enter 6–10 alphanumeric characters."
    if state["waiting_for"] == "refund_reason":
        session_state["dialog_state"] = {"waiting_for": None, "intent": None}
        return f"Refund noted: {user_msg}. Our team will email you in 24h."

    intent = detect_intent(user_msg)
    if intent == "order_status":
        session_state["dialog_state"] = {"waiting_for": "order_id", "intent": intent}
        return "Please provide your Order ID to check status."
    if intent == "refund_policy":
        session_state["dialog_state"] = {"waiting_for": "refund_reason", "intent": intent}
        return "Why would you like to return your item?"
    if intent == "shipping_info":
        return "🚚 Standard: 3–5 days | Express: 1–2 days"
    return "I can help with order status, refunds, or shipping info. What would you like to know?"


SEED = 10_2
KNOWN_IDS = ["ABC12345", "ZX81CD", "abc12345"]
UNKNOWN_IDS = ["QQQ11111", "ORDER777", "XYZ9876"]
BAD_IDS = ["12", "abc", "ABC-12345", "ABCDEFGHIJK1", "my id", "#A1B2C3"]
ASK_STATUS = ["track my order", "order status", "where is my order?", "status", "can you track it",
              "trak my ordr", "where is my package", "Where is my order ABC12345?"]
ASK_REFUND = ["refund", "I want my money back", "return", "refnd please", "I want to return it because it's broken"]
ASK_SHIPPING = ["shipping", "how long is delivery", "delivery time?", "shiping cost", "sometimes I wonder"]
OTHER = ["hello", "thanks!", "who are you", "never mind", "cancel", "start over"]
REASONS = ["too small", "it arrived damaged", "changed my mind", "wrong colour"]


def turn(rng, waiting):
    roll = rng.random()
    if waiting == "order_id" and roll < 0.6:
        return rng.choice(KNOWN_IDS + UNKNOWN_IDS + BAD_IDS)
    if waiting == "refund_reason" and roll < 0.6:
        return rng.choice(REASONS)
    return rng.choice(rng.choice([ASK_STATUS, ASK_REFUND, ASK_SHIPPING, OTHER]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/support_cases.json"
    rng = random.Random(SEED)
    conversations = []
    for _ in range(400):
        session_state["dialog_state"] = {"waiting_for": None, "intent": None}
        turns = []
        for _ in range(rng.randrange(2, 7)):
            msg = turn(rng, session_state["dialog_state"]["waiting_for"])
            turns.append({"user": msg, "seed": bot_reply(msg)})
        conversations.append(turns)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "conversations": conversations}, f, ensure_ascii=False, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
