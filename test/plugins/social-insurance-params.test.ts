import { describe, expect, it } from "vitest";
import { dueDateOf } from "../../plugins/social-insurance/params";

describe("due dates of alerts and reminders", () => {
  it("advance notice that is already late is due on the evaluation date", () => {
    // Leave on 2025-06-30, recorded on 2025-06-20: the 30-day notice would be 2025-05-31.
    expect(dueDateOf({ dueFrom: "2025-06-30", dueInDays: -30 }, "2025-06-20")).toBe("2025-06-20");
    expect(dueDateOf({ dueFrom: "2025-06-30", dueInDays: -30 }, "2025-05-01")).toBe("2025-05-31");
  });

  it("a deadline after an event keeps its real date even when it has passed", () => {
    expect(dueDateOf({ dueFrom: "2025-03-10", dueInDays: 30 }, "2025-05-01")).toBe("2025-04-09");
    expect(dueDateOf({ dueDate: "2025-01-25" }, "2025-05-01")).toBe("2025-01-25");
    expect(dueDateOf({}, "2025-05-01")).toBeNull();
  });
});
