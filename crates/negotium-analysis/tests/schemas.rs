//! The JSON Schemas committed under docs/schema/ are those the code
//! generates: this test fails when a parameter or result type changes
//! without its schema file. `NEGOTIUM_UPDATE_SCHEMAS=1 cargo test -p
//! negotium-analysis --test schemas` rewrites them (then review the diff).

use std::path::PathBuf;

use negotium_analysis::registry;

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
    let update = std::env::var_os("NEGOTIUM_UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for lens in registry::LENSES {
        for (file, schema) in [
            (format!("{lens}.json"), registry::result_schema(lens)),
            (format!("{lens}.params.json"), registry::params_schema(lens)),
        ] {
            let text = format!(
                "{}\n",
                serde_json::to_string_pretty(&schema.unwrap()).unwrap()
            );
            let path = dir.join(&file);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                if update {
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(&path, text).unwrap();
                } else {
                    stale.push(file);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema is out of date for {stale:?}; run NEGOTIUM_UPDATE_SCHEMAS=1 cargo test -p negotium-analysis --test schemas"
    );
}

/// Every schema is an object schema with a title, and each result schema
/// describes the keys its lens's JSON has (checked on a real run).
#[test]
fn result_schemas_list_the_keys_of_real_results() {
    let k = negotium_scenario::resolve("kosovo-status").unwrap();
    for lens in [
        "forecast",
        "conflict",
        "power",
        "negotiate",
        "pareto",
        "history",
    ] {
        let schema = serde_json::to_value(registry::result_schema(lens).unwrap()).unwrap();
        assert_eq!(schema["type"], "object", "{lens}");
        let props = schema["properties"].as_object().unwrap();
        let run = registry::run_json(lens, &k, &serde_json::Value::Null).unwrap();
        for key in run.as_object().unwrap().keys() {
            assert!(props.contains_key(key), "{lens}: `{key}` not in the schema");
        }
        for req in schema["required"].as_array().into_iter().flatten() {
            assert!(
                run.get(req.as_str().unwrap()).is_some(),
                "{lens}: required `{req}` missing"
            );
        }
    }
}
