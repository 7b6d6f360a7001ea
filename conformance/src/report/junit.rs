//! JUnit XML: one test suite per adapter and category, one test case per vector; failures carry
//! the expected and actual verdicts and the impact class (`type` is `SEVERITY/IMPACT`), adapter
//! errors are `<error>`, skips are `<skipped>` with their cause (a `skip_cause` property, and
//! `skipped.CAUSE` counts on each suite). An acceptable result is a passing test case
//! with a `result` property of `acceptable` and a `<system-out>` note saying what was expected
//! and what was accepted instead; exact ones have `result` `pass`.

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::judge::{SkipCause, TestResult};
use crate::report::Report;
use crate::text::severity_name;

/// The JUnit XML document.
pub fn render(reports: &[Report]) -> String {
    let mut junit = quick_junit::Report::new("jwt-conformance");
    for report in reports {
        let h = &report.header;
        for category in report.summary.by_category.keys() {
            let mut suite = TestSuite::new(format!("{}/{category}", h.adapter));
            suite.add_property(Property::new("library", h.library.as_str()));
            suite.add_property(Property::new("library_version", h.library_version.as_str()));
            suite.add_property(Property::new("corpus_version", h.corpus_version.as_str()));
            for cause in SkipCause::ALL {
                let n = report
                    .results
                    .iter()
                    .filter(|r| &r.category == category && r.skip_cause == Some(cause))
                    .count();
                if n > 0 {
                    suite.add_property(Property::new(
                        format!("skipped.{}", cause.name()),
                        n.to_string(),
                    ));
                }
            }
            for r in report.results.iter().filter(|r| &r.category == category) {
                let status = match r.result {
                    TestResult::Pass | TestResult::Acceptable => TestCaseStatus::success(),
                    TestResult::Skip => {
                        let mut s = TestCaseStatus::skipped();
                        s.set_message(match r.skip_cause {
                            Some(cause) => format!("{}: {}", cause.label(), r.detail),
                            None => r.detail.clone(),
                        });
                        if let Some(cause) = r.skip_cause {
                            s.set_type(cause.name());
                        }
                        s
                    }
                    TestResult::Fail => {
                        let kind = if r.adapter_error {
                            NonSuccessKind::Error
                        } else {
                            NonSuccessKind::Failure
                        };
                        let mut s = TestCaseStatus::non_success(kind);
                        s.set_message(r.detail.as_str());
                        s.set_type(match r.impact {
                            Some(impact) => format!("{}/{impact}", severity_name(r.severity)),
                            None => severity_name(r.severity).to_owned(),
                        });
                        if let Some(a) = &r.actual {
                            s.set_description(format!(
                                "expected: {}\nactual: {}\nlibrary said: {}",
                                r.expected.label(),
                                a.label(),
                                a.error.as_deref().unwrap_or("-")
                            ));
                        }
                        s
                    }
                };
                let mut case = TestCase::new(r.id.as_str(), status);
                case.set_classname(format!("{}.{category}", h.adapter));
                case.add_property(Property::new("result", r.result.name()));
                case.add_property(Property::new("severity", severity_name(r.severity)));
                if let Some(impact) = r.impact {
                    case.add_property(Property::new("impact", impact.name()));
                }
                if let Some(cause) = r.skip_cause {
                    case.add_property(Property::new("skip_cause", cause.name()));
                }
                if r.result == TestResult::Acceptable {
                    case.set_system_out(r.detail.as_str());
                }
                suite.add_test_case(case);
            }
            junit.add_test_suite(suite);
        }
    }
    junit
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot serialize the JUnit report: {e} -->\n"))
}
