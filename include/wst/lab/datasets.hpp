// The image data sets of the classification job (`wst mnist --dataset`): what they are called,
// what one item is, their class names, where their files are, and the published results the job
// compares with. MNIST's come from Bruna & Mallat 2013 (Table 4, error by training size);
// Fashion-MNIST's from the benchmark table of its README (Xiao, Rasul & Vollgraf 2017), as
// Debian's dataset-fashion-mnist ships it (/usr/share/doc/dataset-fashion-mnist/README.md.gz).
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace wst::lab {

enum class Dataset { mnist, fashion_mnist };

// A published result: `model` on `features`, test error in % at each training size (the full
// training set where the source gives one number).
struct PublishedResult {
  std::string model, features, source;
  std::map<std::size_t, double> error_percent;
};

struct DatasetInfo {
  std::string id;     // as on the command line: "mnist", "fashion-mnist"
  std::string title;  // "MNIST", "Fashion-MNIST"
  std::string item;   // what one image is, plural: "digits", "images"
  std::vector<std::string> class_names;  // by label
  std::string idx_dir;                   // where the set-up installs its IDX files ("" for none)
  std::vector<PublishedResult> published;
  // The scale of the job's main scattering features (order 2, log) for the Gaussian SVM and
  // affine PCA: 3 for MNIST (Bruna & Mallat's choice); 2 for Fashion-MNIST, whose centred
  // images need less translation invariance than their textures need detail (test error of the
  // Gaussian SVM at 8 000 training images: 9.5 % at J = 2 against 11.3 % at J = 3).
  int main_J = 3;
  // Whether a left–right mirror leaves every class unchanged (clothes: yes; digits: no, a
  // mirrored 2 or 7 is no digit). The CNNs then also train on the mirror images of their
  // training images (Fashion-MNIST at 60 000: the scattering + CNN hybrid's error drops from
  // 7.2 % to 6.8 %).
  bool mirror_invariant = false;
};

const DatasetInfo& dataset_info(Dataset d);

// "mnist" | "fashion-mnist"; UsageError naming `option` and the choices otherwise.
Dataset parse_dataset(const std::string& name, const std::string& option);

}  // namespace wst::lab
