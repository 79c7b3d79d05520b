/** Request bodies that tests create; each factory gives a valid value, `extra` overrides fields. */

/** A new employee as POST /api/employees takes it. */
export const newEmployee = (employeeNo: string, extra: Record<string, unknown> = {}) => ({
  employeeNo,
  name: `测试 ${employeeNo}`,
  insuredCity: "310000",
  hireDate: "2024-03-01",
  monthlyWage: "12000.00",
  employmentType: "full_time",
  ...extra,
});
